package io.swarmtee.proxy.archive;

/** A playlist and whether it can still change. */
public record Playlist(String text, boolean finalised) {}
