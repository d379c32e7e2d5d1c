{{/* Chart name, truncated to the 63 characters Kubernetes allows in a name. */}}
{{- define "swarmtee.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: release-chart unless the release name already contains the chart name. */}}
{{- define "swarmtee.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "swarmtee.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "swarmtee.labels" -}}
helm.sh/chart: {{ include "swarmtee.chart" . }}
{{ include "swarmtee.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "swarmtee.selectorLabels" -}}
app.kubernetes.io/name: {{ include "swarmtee.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: proxy
{{- end }}

{{- define "swarmtee.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "swarmtee.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Bee node: name, labels and the API URL swarmtee uses. */}}
{{- define "swarmtee.bee.fullname" -}}
{{- printf "%s-bee" (include "swarmtee.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "swarmtee.bee.selectorLabels" -}}
app.kubernetes.io/name: {{ include "swarmtee.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: bee
{{- end }}

{{- define "swarmtee.bee.labels" -}}
helm.sh/chart: {{ include "swarmtee.chart" . }}
{{ include "swarmtee.bee.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "swarmtee.beeUrl" -}}
{{- if .Values.bee.enabled }}
{{- printf "http://%s:1633" (include "swarmtee.bee.fullname" .) }}
{{- else }}
{{- .Values.bee.url }}
{{- end }}
{{- end }}

{{- define "swarmtee.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Cluster mode: more than one pod. The pods find each other through the headless Service's DNS records. */}}
{{- define "swarmtee.clustered" -}}
{{- if gt (int .Values.replicaCount) 1 }}true{{ end }}
{{- end }}

{{- define "swarmtee.clusterName" -}}
{{- default (include "swarmtee.fullname" .) .Values.cluster.name }}
{{- end }}

{{- define "swarmtee.clusterService" -}}
{{- printf "%s-headless.%s.svc.%s" (include "swarmtee.fullname" .) .Release.Namespace .Values.cluster.clusterDomain }}
{{- end }}
