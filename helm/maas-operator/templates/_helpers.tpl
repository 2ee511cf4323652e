{{/* The release's name for everything the chart makes. */}}
{{- define "maas-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "maas-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "maas-operator.labels" -}}
{{ include "maas-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "maas-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "maas-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Leader election: with more than one replica, or when asked for. */}}
{{- define "maas-operator.leaderElection" -}}
{{- if or (gt (int .Values.replicas) 1) .Values.leaderElection.enabled -}}true{{- end -}}
{{- end -}}

{{/* The permissions the operator uses on ModelDeployments and what it makes of them, no more. */}}
{{- define "maas-operator.rules" -}}
- apiGroups: [maas.dev]
  resources: [modeldeployments]
  verbs: [get, list, watch]
- apiGroups: [maas.dev]
  resources: [modeldeployments/status]
  verbs: [patch]
- apiGroups: [apps]
  resources: [deployments]
  # delete: a canary's own Deployment goes when the canary ends.
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [apps]
  resources: [controllerrevisions]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [""]
  resources: [services]
  # delete: a canary's own Service (where an HTTPRoute weighs it) goes when the canary ends.
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [get, list, watch, create, patch]
- apiGroups: [""]
  resources: [pods]
  # delete: pods that crash-looped for want of a lost package start at once when it is back.
  verbs: [get, list, watch, delete]
- apiGroups: [""]
  resources: [pods/status]
  # patch: a canary's pods go behind the Service by their readiness gate (maas.dev/live).
  verbs: [patch]
- apiGroups: [""]
  resources: [configmaps]
  # A canary-strategy ModelDeployment's live settings (whom its pods mirror to).
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [""]
  resources: [events]
  # list, watch: kubelet's FailedMount events (only those: a field selector) say that a runtime pod
  # waits for a Secret that does not exist; the operator does not read Secrets themselves.
  verbs: [create, list, watch]
- apiGroups: [batch]
  resources: [jobs]
  # delete: a prepare Job that succeeded goes once its report is recorded (its pod would pin the claim).
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [""]
  resources: [serviceaccounts]
  # The runtime's own account, only where spec.access.authentication.kubernetes asks for it.
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  # spec.access.allowFrom's policy; delete: when allowFrom is removed.
  verbs: [get, list, watch, create, patch, delete]
{{- with (.Values.config.trafficRouting | default dict).httpRoute }}
- apiGroups: [gateway.networking.k8s.io]
  resources: [httproutes]
  # Only the named route: a canary's weight goes into its backendRefs.
  resourceNames: [{{ . | quote }}]
  verbs: [get, patch]
{{- end }}
{{- end -}}

{{- /* "true" when the cluster already has the ModelDeployment CRD and this release does not own it
(it was applied by hand or by another release); empty otherwise, and always empty for helm
template, which cannot look. */}}
{{- define "maas-operator.crdOwnedElsewhere" -}}
{{- $existing := lookup "apiextensions.k8s.io/v1" "CustomResourceDefinition" "" "modeldeployments.maas.dev" -}}
{{- if $existing -}}
{{- $annotations := $existing.metadata.annotations | default dict -}}
{{- if not (and (eq (index $annotations "meta.helm.sh/release-name" | default "") .Release.Name) (eq (index $annotations "meta.helm.sh/release-namespace" | default "") .Release.Namespace)) -}}
true
{{- end -}}
{{- end -}}
{{- end -}}
