{{/* Names and labels shared by the templates. */}}

{{- define "chat-cluster.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "chat-cluster.fullname" -}}
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

{{- define "chat-cluster.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "chat-cluster.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The chat nodes' pods, and only they: Deployment selector, Services, PDB and discovery. */}}
{{- define "chat-cluster.selectorLabels" -}}
app.kubernetes.io/name: {{ include "chat-cluster.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: chat-node
{{- end }}

{{/* The same labels as a Kubernetes label selector, for Pekko's Kubernetes API discovery. */}}
{{- define "chat-cluster.discoverySelector" -}}
{{- $labels := include "chat-cluster.selectorLabels" . | fromYaml }}
{{- $pairs := list }}
{{- range $key := keys $labels | sortAlpha }}
{{- $pairs = append $pairs (printf "%s=%s" $key (get $labels $key)) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{- define "chat-cluster.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "chat-cluster.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "chat-cluster.postgresql.selectorLabels" -}}
app.kubernetes.io/name: {{ include "chat-cluster.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: postgresql
{{- end }}

{{- define "chat-cluster.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "chat-cluster.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "chat-cluster.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Contact points a new cluster needs: set, or the replicas the release starts with. */}}
{{- define "chat-cluster.requiredContactPoints" -}}
{{- if gt (int .Values.cluster.requiredContactPoints) 0 }}
{{- .Values.cluster.requiredContactPoints }}
{{- else if .Values.autoscaling.enabled }}
{{- .Values.autoscaling.minReplicas }}
{{- else }}
{{- .Values.replicaCount }}
{{- end }}
{{- end }}

{{/* The JDBC URL of the database the nodes use. */}}
{{- define "chat-cluster.jdbcUrl" -}}
{{- if .Values.postgresql.enabled }}
{{- printf "jdbc:postgresql://%s:5432/%s" (include "chat-cluster.postgresql.fullname" .) .Values.postgresql.database }}
{{- else }}
{{- $db := .Values.externalDatabase }}
{{- printf "jdbc:postgresql://%s:%d/%s" $db.host (int $db.port) $db.database }}
{{- if $db.jdbcParameters }}?{{ $db.jdbcParameters }}{{ end }}
{{- end }}
{{- end }}

{{- define "chat-cluster.databaseUser" -}}
{{- if .Values.postgresql.enabled }}{{ .Values.postgresql.user }}{{ else }}{{ .Values.externalDatabase.user }}{{ end }}
{{- end }}

{{/* The Secret and key of the database password the nodes read. */}}
{{- define "chat-cluster.databaseSecretName" -}}
{{- if .Values.postgresql.enabled }}
{{- default (include "chat-cluster.postgresql.fullname" .) .Values.postgresql.existingSecret }}
{{- else }}
{{- default (printf "%s-database" (include "chat-cluster.fullname" .)) .Values.externalDatabase.existingSecret }}
{{- end }}
{{- end }}

{{- define "chat-cluster.databaseSecretKey" -}}
{{- if .Values.postgresql.enabled }}{{ .Values.postgresql.passwordKey }}{{ else }}{{ .Values.externalDatabase.passwordKey }}{{ end }}
{{- end }}

{{- define "chat-cluster.authSecretName" -}}
{{- default (printf "%s-auth" (include "chat-cluster.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{/*
A generated secret value that survives upgrades: the value already in the cluster's Secret if
there is one, otherwise a new random one. Arguments: (list $ secretName key length).
*/}}
{{- define "chat-cluster.keptRandom" -}}
{{- $root := index . 0 }}
{{- $existing := lookup "v1" "Secret" $root.Release.Namespace (index . 1) }}
{{- if and $existing $existing.data (hasKey $existing.data (index . 2)) }}
{{- index $existing.data (index . 2) }}
{{- else }}
{{- randAlphaNum (index . 3) | b64enc }}
{{- end }}
{{- end }}

{{/* Configurations that cannot work stop the install with a message saying what to change. */}}
{{- define "chat-cluster.validate" -}}
{{- $db := .Values.externalDatabase }}
{{- if and (not .Values.postgresql.enabled) (not $db.host) }}
{{- fail "No database: the nodes of a cluster share one Postgres. Set postgresql.enabled=true (a single Postgres in the release) or externalDatabase.host (production)." }}
{{- end }}
{{- if and .Values.postgresql.enabled $db.host }}
{{- fail "Two databases: externalDatabase.host is set and postgresql.enabled is true. Set postgresql.enabled=false to use the external database." }}
{{- end }}
{{- if and $db.host (not $db.existingSecret) (not $db.password) }}
{{- fail "externalDatabase needs its password: set externalDatabase.existingSecret (a Secret with the key externalDatabase.passwordKey) or externalDatabase.password." }}
{{- end }}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) }}
{{- fail "autoscaling.maxReplicas must be at least autoscaling.minReplicas." }}
{{- end }}
{{- $replicas := ternary .Values.autoscaling.minReplicas .Values.replicaCount .Values.autoscaling.enabled }}
{{- if gt (int .Values.cluster.requiredContactPoints) (int $replicas) }}
{{- fail (printf "cluster.requiredContactPoints (%d) is more than the %d nodes the release starts with: a new cluster would never form." (int .Values.cluster.requiredContactPoints) (int $replicas)) }}
{{- end }}
{{- if lt (int .Values.shutdown.terminationGracePeriodSeconds) (add 50 .Values.shutdown.preStopSeconds) }}
{{- fail (printf "shutdown.terminationGracePeriodSeconds must be at least shutdown.preStopSeconds + 50 (%d): coordinated shutdown needs up to 50 s to hand off shards and leave the cluster." (add 50 .Values.shutdown.preStopSeconds)) }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) }}
{{- fail "ingress.host is required when ingress.enabled is true." }}
{{- end }}
{{- end }}
