/**
 * The web page of swarmtee for viewers and operators, served at {@code /}: the live streams
 * swarmtee sees, the archives it holds with copyable URLs (on swarmtee and on a Bee gateway), and
 * an hls.js player with rendition choice, seeking in archives and the program date time of the
 * current position. The page is static (bundled in the jar under {@code webroot/}, hls.js copied
 * from the npm package at build time), reads only the public JSON API and builds its DOM without
 * {@code innerHTML}, under a Content-Security-Policy that allows same-origin scripts only.
 */
package io.swarmtee.proxy.web;
