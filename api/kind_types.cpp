#include "api/kind_types.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace kinda::api {
namespace {

// Each struct is "field:type …". Types: string integer number boolean quantity int-or-string time
// (scalars), object (any JSON, not described further), a struct name, {}T (map of string to T),
// []T (atomic list), []T@key (merged by key), []T@key/retainKeys, []T+ (set of scalars);
// "...S" takes in the fields of struct S (listed earlier), as Go's embedded structs do.
// Field lists follow k8s.io/api and k8s.io/apimachinery at v1.32; a field missing here would
// make fieldValidation=Strict refuse valid manifests, so when in doubt a subtree is `object`.
constexpr std::pair<const char*, const char*> kTable[] = {
    // k8s.io/apimachinery meta/v1
    {"ObjectMeta",
     "name:string generateName:string namespace:string selfLink:string uid:string "
     "resourceVersion:string generation:integer creationTimestamp:time deletionTimestamp:time "
     "deletionGracePeriodSeconds:integer labels:{}string annotations:{}string "
     "ownerReferences:[]OwnerReference@uid finalizers:[]string+ "
     "managedFields:[]ManagedFieldsEntry"},
    {"OwnerReference",
     "apiVersion:string kind:string name:string uid:string controller:boolean "
     "blockOwnerDeletion:boolean"},
    {"ManagedFieldsEntry",
     "manager:string operation:string apiVersion:string time:time fieldsType:string "
     "fieldsV1:object subresource:string"},
    {"LabelSelector", "matchLabels:{}string matchExpressions:[]LabelSelectorRequirement"},
    {"LabelSelectorRequirement", "key:string operator:string values:[]string"},

    // The kinds.
    {"Pod", "apiVersion:string kind:string metadata:ObjectMeta spec:PodSpec status:object"},
    {"StatefulSet",
     "apiVersion:string kind:string metadata:ObjectMeta spec:StatefulSetSpec status:object"},
    {"Service", "apiVersion:string kind:string metadata:ObjectMeta spec:ServiceSpec status:object"},
    {"PersistentVolumeClaim",
     "apiVersion:string kind:string metadata:ObjectMeta spec:PersistentVolumeClaimSpec "
     "status:object"},
    {"ConfigMap",
     "apiVersion:string kind:string metadata:ObjectMeta immutable:boolean data:{}string "
     "binaryData:{}string"},
    {"Secret",
     "apiVersion:string kind:string metadata:ObjectMeta immutable:boolean data:{}string "
     "stringData:{}string type:string"},
    {"Namespace",
     "apiVersion:string kind:string metadata:ObjectMeta spec:NamespaceSpec status:object"},
    {"Node", "apiVersion:string kind:string metadata:ObjectMeta spec:NodeSpec status:object"},
    {"Event",
     "apiVersion:string kind:string metadata:ObjectMeta involvedObject:ObjectReference "
     "reason:string message:string source:EventSource firstTimestamp:time lastTimestamp:time "
     "count:integer type:string eventTime:time series:object action:string "
     "related:ObjectReference reportingComponent:string reportingInstance:string"},
    {"ControllerRevision",
     "apiVersion:string kind:string metadata:ObjectMeta data:object revision:integer"},
    {"Lease", "apiVersion:string kind:string metadata:ObjectMeta spec:LeaseSpec"},
    {"Endpoints", "apiVersion:string kind:string metadata:ObjectMeta subsets:[]EndpointSubset"},
    {"EndpointSlice",
     "apiVersion:string kind:string metadata:ObjectMeta addressType:string "
     "endpoints:[]DiscoveryEndpoint ports:[]DiscoveryEndpointPort"},

    // batch/v1
    {"Job", "apiVersion:string kind:string metadata:ObjectMeta spec:JobSpec status:object"},
    {"CronJob", "apiVersion:string kind:string metadata:ObjectMeta spec:CronJobSpec status:object"},
    {"JobSpec",
     "parallelism:integer completions:integer activeDeadlineSeconds:integer "
     "podFailurePolicy:PodFailurePolicy successPolicy:SuccessPolicy backoffLimit:integer "
     "backoffLimitPerIndex:integer maxFailedIndexes:integer selector:LabelSelector "
     "manualSelector:boolean template:PodTemplateSpec ttlSecondsAfterFinished:integer "
     "completionMode:string suspend:boolean podReplacementPolicy:string managedBy:string"},
    {"PodFailurePolicy", "rules:[]PodFailurePolicyRule"},
    {"PodFailurePolicyRule",
     "action:string onExitCodes:PodFailurePolicyOnExitCodesRequirement "
     "onPodConditions:[]PodFailurePolicyOnPodConditionsPattern"},
    {"PodFailurePolicyOnExitCodesRequirement",
     "containerName:string operator:string values:[]integer+"},
    {"PodFailurePolicyOnPodConditionsPattern", "type:string status:string"},
    {"SuccessPolicy", "rules:[]SuccessPolicyRule"},
    {"SuccessPolicyRule", "succeededIndexes:string succeededCount:integer"},
    {"CronJobSpec",
     "schedule:string timeZone:string startingDeadlineSeconds:integer "
     "concurrencyPolicy:string suspend:boolean jobTemplate:JobTemplateSpec "
     "successfulJobsHistoryLimit:integer failedJobsHistoryLimit:integer"},
    {"JobTemplateSpec", "metadata:ObjectMeta spec:JobSpec"},

    // coordination.k8s.io/v1
    {"LeaseSpec",
     "holderIdentity:string leaseDurationSeconds:integer acquireTime:time renewTime:time "
     "leaseTransitions:integer strategy:string preferredHolder:string"},

    // apps/v1
    {"StatefulSetSpec",
     "replicas:integer selector:LabelSelector template:PodTemplateSpec "
     "volumeClaimTemplates:[]PersistentVolumeClaim serviceName:string "
     "podManagementPolicy:string updateStrategy:StatefulSetUpdateStrategy "
     "revisionHistoryLimit:integer minReadySeconds:integer "
     "persistentVolumeClaimRetentionPolicy:StatefulSetPersistentVolumeClaimRetentionPolicy "
     "ordinals:StatefulSetOrdinals"},
    {"StatefulSetUpdateStrategy", "type:string rollingUpdate:RollingUpdateStatefulSetStrategy"},
    {"RollingUpdateStatefulSetStrategy", "partition:integer maxUnavailable:int-or-string"},
    {"StatefulSetPersistentVolumeClaimRetentionPolicy", "whenDeleted:string whenScaled:string"},
    {"StatefulSetOrdinals", "start:integer"},
    {"PodTemplateSpec", "metadata:ObjectMeta spec:PodSpec"},
    {"DaemonSet",
     "apiVersion:string kind:string metadata:ObjectMeta spec:DaemonSetSpec status:object"},
    {"DaemonSetSpec",
     "selector:LabelSelector template:PodTemplateSpec updateStrategy:DaemonSetUpdateStrategy "
     "minReadySeconds:integer revisionHistoryLimit:integer"},
    {"DaemonSetUpdateStrategy", "type:string rollingUpdate:RollingUpdateDaemonSet"},
    {"RollingUpdateDaemonSet", "maxUnavailable:int-or-string maxSurge:int-or-string"},

    // policy/v1
    {"PodDisruptionBudget",
     "apiVersion:string kind:string metadata:ObjectMeta spec:PodDisruptionBudgetSpec "
     "status:object"},
    {"PodDisruptionBudgetSpec",
     "minAvailable:int-or-string selector:LabelSelector maxUnavailable:int-or-string "
     "unhealthyPodEvictionPolicy:string"},
    {"Deployment",
     "apiVersion:string kind:string metadata:ObjectMeta spec:DeploymentSpec "
     "status:DeploymentStatus"},
    {"DeploymentSpec",
     "replicas:integer selector:LabelSelector template:PodTemplateSpec "
     "strategy:DeploymentStrategy minReadySeconds:integer revisionHistoryLimit:integer "
     "paused:boolean progressDeadlineSeconds:integer"},
    {"DeploymentStrategy", "type:string rollingUpdate:RollingUpdateDeployment"},
    {"RollingUpdateDeployment", "maxUnavailable:int-or-string maxSurge:int-or-string"},
    {"DeploymentStatus",
     "observedGeneration:integer replicas:integer updatedReplicas:integer readyReplicas:integer "
     "availableReplicas:integer unavailableReplicas:integer "
     "conditions:[]DeploymentCondition@type collisionCount:integer"},
    {"DeploymentCondition",
     "type:string status:string lastUpdateTime:time lastTransitionTime:time reason:string "
     "message:string"},
    {"ReplicaSet",
     "apiVersion:string kind:string metadata:ObjectMeta spec:ReplicaSetSpec "
     "status:ReplicaSetStatus"},
    {"ReplicaSetSpec",
     "replicas:integer minReadySeconds:integer selector:LabelSelector template:PodTemplateSpec"},
    {"ReplicaSetStatus",
     "replicas:integer fullyLabeledReplicas:integer readyReplicas:integer "
     "availableReplicas:integer observedGeneration:integer conditions:[]ReplicaSetCondition@type"},
    {"ReplicaSetCondition",
     "type:string status:string lastTransitionTime:time reason:string message:string"},

    // core/v1 pods
    {"PodSpec",
     "volumes:[]Volume@name/retainKeys initContainers:[]Container@name "
     "containers:[]Container@name ephemeralContainers:[]EphemeralContainer@name "
     "restartPolicy:string terminationGracePeriodSeconds:integer "
     "activeDeadlineSeconds:integer dnsPolicy:string nodeSelector:{}string "
     "serviceAccountName:string serviceAccount:string automountServiceAccountToken:boolean "
     "nodeName:string hostNetwork:boolean hostPID:boolean hostIPC:boolean "
     "shareProcessNamespace:boolean securityContext:object "
     "imagePullSecrets:[]LocalObjectReference@name hostname:string subdomain:string "
     "affinity:object schedulerName:string tolerations:[]Toleration "
     "hostAliases:[]HostAlias@ip priorityClassName:string priority:integer "
     "dnsConfig:PodDNSConfig readinessGates:[]PodReadinessGate runtimeClassName:string "
     "enableServiceLinks:boolean preemptionPolicy:string overhead:{}quantity "
     "topologySpreadConstraints:[]object@topologyKey setHostnameAsFQDN:boolean os:PodOS "
     "hostUsers:boolean schedulingGates:[]PodSchedulingGate@name "
     "resourceClaims:[]object@name/retainKeys resources:ResourceRequirements"},
    {"Container",
     "name:string image:string command:[]string args:[]string workingDir:string "
     "ports:[]ContainerPort@containerPort envFrom:[]EnvFromSource env:[]EnvVar@name "
     "resources:ResourceRequirements resizePolicy:[]ContainerResizePolicy "
     "restartPolicy:string volumeMounts:[]VolumeMount@mountPath "
     "volumeDevices:[]VolumeDevice@devicePath livenessProbe:Probe readinessProbe:Probe "
     "startupProbe:Probe lifecycle:Lifecycle terminationMessagePath:string "
     "terminationMessagePolicy:string imagePullPolicy:string securityContext:object "
     "stdin:boolean stdinOnce:boolean tty:boolean"},
    {"EphemeralContainer", "...Container targetContainerName:string"},
    {"ContainerPort",
     "name:string hostPort:integer containerPort:integer protocol:string hostIP:string"},
    {"ContainerResizePolicy", "resourceName:string restartPolicy:string"},
    {"EnvVar", "name:string value:string valueFrom:EnvVarSource"},
    {"EnvVarSource",
     "fieldRef:ObjectFieldSelector resourceFieldRef:ResourceFieldSelector "
     "configMapKeyRef:ConfigMapKeySelector secretKeyRef:SecretKeySelector"},
    {"ObjectFieldSelector", "apiVersion:string fieldPath:string"},
    {"ResourceFieldSelector", "containerName:string resource:string divisor:quantity"},
    {"ConfigMapKeySelector", "name:string key:string optional:boolean"},
    {"SecretKeySelector", "name:string key:string optional:boolean"},
    {"EnvFromSource", "prefix:string configMapRef:ConfigMapEnvSource secretRef:SecretEnvSource"},
    {"ConfigMapEnvSource", "name:string optional:boolean"},
    {"SecretEnvSource", "name:string optional:boolean"},
    {"ResourceRequirements", "limits:{}quantity requests:{}quantity claims:[]ResourceClaim"},
    {"ResourceClaim", "name:string request:string"},
    {"VolumeMount",
     "name:string readOnly:boolean recursiveReadOnly:string mountPath:string subPath:string "
     "mountPropagation:string subPathExpr:string"},
    {"VolumeDevice", "name:string devicePath:string"},
    {"Probe",
     "exec:ExecAction httpGet:HTTPGetAction tcpSocket:TCPSocketAction grpc:GRPCAction "
     "initialDelaySeconds:integer timeoutSeconds:integer periodSeconds:integer "
     "successThreshold:integer failureThreshold:integer terminationGracePeriodSeconds:integer"},
    {"ExecAction", "command:[]string"},
    {"HTTPGetAction",
     "path:string port:int-or-string host:string scheme:string httpHeaders:[]HTTPHeader"},
    {"HTTPHeader", "name:string value:string"},
    {"TCPSocketAction", "port:int-or-string host:string"},
    {"GRPCAction", "port:integer service:string"},
    {"Lifecycle", "postStart:LifecycleHandler preStop:LifecycleHandler"},
    {"LifecycleHandler",
     "exec:ExecAction httpGet:HTTPGetAction tcpSocket:TCPSocketAction sleep:SleepAction"},
    {"SleepAction", "seconds:integer"},
    {"Volume",
     "name:string hostPath:HostPathVolumeSource emptyDir:EmptyDirVolumeSource "
     "gcePersistentDisk:object awsElasticBlockStore:object gitRepo:object "
     "secret:SecretVolumeSource nfs:object iscsi:object glusterfs:object "
     "persistentVolumeClaim:PersistentVolumeClaimVolumeSource rbd:object flexVolume:object "
     "cinder:object cephfs:object flocker:object downwardAPI:object fc:object "
     "azureFile:object configMap:ConfigMapVolumeSource vsphereVolume:object quobyte:object "
     "azureDisk:object photonPersistentDisk:object projected:object portworxVolume:object "
     "scaleIO:object storageos:object csi:object ephemeral:object image:object"},
    {"HostPathVolumeSource", "path:string type:string"},
    {"EmptyDirVolumeSource", "medium:string sizeLimit:quantity"},
    {"SecretVolumeSource",
     "secretName:string items:[]KeyToPath defaultMode:integer optional:boolean"},
    {"ConfigMapVolumeSource", "name:string items:[]KeyToPath defaultMode:integer optional:boolean"},
    {"KeyToPath", "key:string path:string mode:integer"},
    {"PersistentVolumeClaimVolumeSource", "claimName:string readOnly:boolean"},
    {"LocalObjectReference", "name:string"},
    {"Toleration",
     "key:string operator:string value:string effect:string tolerationSeconds:integer"},
    {"HostAlias", "ip:string hostnames:[]string"},
    {"PodDNSConfig", "nameservers:[]string searches:[]string options:[]PodDNSConfigOption"},
    {"PodDNSConfigOption", "name:string value:string"},
    {"PodReadinessGate", "conditionType:string"},
    {"PodOS", "name:string"},
    {"PodSchedulingGate", "name:string"},

    // core/v1 services, claims, namespaces, nodes, events
    {"ServiceSpec",
     "ports:[]ServicePort@port selector:{}string clusterIP:string clusterIPs:[]string "
     "type:string externalIPs:[]string sessionAffinity:string loadBalancerIP:string "
     "loadBalancerSourceRanges:[]string externalName:string externalTrafficPolicy:string "
     "healthCheckNodePort:integer publishNotReadyAddresses:boolean "
     "sessionAffinityConfig:object ipFamilies:[]string ipFamilyPolicy:string "
     "allocateLoadBalancerNodePorts:boolean loadBalancerClass:string "
     "internalTrafficPolicy:string trafficDistribution:string"},
    {"ServicePort",
     "name:string protocol:string appProtocol:string port:integer targetPort:int-or-string "
     "nodePort:integer"},
    {"PersistentVolumeClaimSpec",
     "accessModes:[]string selector:LabelSelector resources:VolumeResourceRequirements "
     "volumeName:string storageClassName:string volumeMode:string "
     "dataSource:TypedLocalObjectReference dataSourceRef:TypedObjectReference "
     "volumeAttributesClassName:string"},
    {"VolumeResourceRequirements", "limits:{}quantity requests:{}quantity"},
    {"TypedLocalObjectReference", "apiGroup:string kind:string name:string"},
    {"TypedObjectReference", "apiGroup:string kind:string name:string namespace:string"},
    {"NamespaceSpec", "finalizers:[]string"},
    {"NodeSpec",
     "podCIDR:string podCIDRs:[]string+ providerID:string unschedulable:boolean "
     "taints:[]Taint configSource:object externalID:string"},
    {"Taint", "key:string value:string effect:string timeAdded:time"},
    {"ObjectReference",
     "kind:string namespace:string name:string uid:string apiVersion:string "
     "resourceVersion:string fieldPath:string"},
    {"EventSource", "component:string host:string"},

    // core/v1 endpoints: every list atomic, as in k8s.io/api
    {"EndpointSubset",
     "addresses:[]EndpointAddress notReadyAddresses:[]EndpointAddress ports:[]EndpointPort"},
    {"EndpointAddress", "ip:string hostname:string nodeName:string targetRef:ObjectReference"},
    {"EndpointPort", "name:string port:integer protocol:string appProtocol:string"},

    // discovery.k8s.io/v1: named Discovery… here where core/v1 has a struct of the same name
    // (EndpointPort); openapi.cpp gives them their Go names back.
    {"DiscoveryEndpoint",
     "addresses:[]string+ conditions:DiscoveryEndpointConditions hostname:string "
     "targetRef:ObjectReference deprecatedTopology:{}string nodeName:string zone:string "
     "hints:object"},
    {"DiscoveryEndpointConditions", "ready:boolean serving:boolean terminating:boolean"},
    {"DiscoveryEndpointPort", "name:string protocol:string port:integer appProtocol:string"},

    // Stored kinds (stored_kinds_validation.cpp): core/v1 ServiceAccount and PersistentVolume,
    // rbac.authorization.k8s.io/v1, networking.k8s.io/v1 NetworkPolicy, scheduling.k8s.io/v1
    // PriorityClass, storage.k8s.io/v1 StorageClass.
    {"ServiceAccount",
     "apiVersion:string kind:string metadata:ObjectMeta secrets:[]ObjectReference@name "
     "imagePullSecrets:[]LocalObjectReference automountServiceAccountToken:boolean"},
    {"PersistentVolume",
     "apiVersion:string kind:string metadata:ObjectMeta spec:PersistentVolumeSpec "
     "status:object"},
    {"PersistentVolumeSpec",
     "capacity:{}quantity gcePersistentDisk:object awsElasticBlockStore:object "
     "hostPath:HostPathVolumeSource glusterfs:object nfs:object rbd:object iscsi:object "
     "cinder:object cephfs:object fc:object flocker:object flexVolume:object azureFile:object "
     "vsphereVolume:object quobyte:object azureDisk:object photonPersistentDisk:object "
     "portworxVolume:object scaleIO:object local:LocalVolumeSource storageos:object csi:object "
     "accessModes:[]string claimRef:ObjectReference persistentVolumeReclaimPolicy:string "
     "storageClassName:string mountOptions:[]string volumeMode:string "
     "nodeAffinity:VolumeNodeAffinity volumeAttributesClassName:string"},
    {"LocalVolumeSource", "path:string fsType:string"},
    {"VolumeNodeAffinity", "required:object"},
    {"Role", "apiVersion:string kind:string metadata:ObjectMeta rules:[]PolicyRule"},
    {"ClusterRole",
     "apiVersion:string kind:string metadata:ObjectMeta rules:[]PolicyRule "
     "aggregationRule:AggregationRule"},
    {"PolicyRule",
     "verbs:[]string apiGroups:[]string resources:[]string resourceNames:[]string "
     "nonResourceURLs:[]string"},
    {"AggregationRule", "clusterRoleSelectors:[]LabelSelector"},
    {"RoleBinding",
     "apiVersion:string kind:string metadata:ObjectMeta subjects:[]Subject roleRef:RoleRef"},
    {"ClusterRoleBinding",
     "apiVersion:string kind:string metadata:ObjectMeta subjects:[]Subject roleRef:RoleRef"},
    {"Subject", "kind:string apiGroup:string name:string namespace:string"},
    {"RoleRef", "apiGroup:string kind:string name:string"},
    {"NetworkPolicy", "apiVersion:string kind:string metadata:ObjectMeta spec:NetworkPolicySpec"},
    {"NetworkPolicySpec",
     "podSelector:LabelSelector ingress:[]NetworkPolicyIngressRule "
     "egress:[]NetworkPolicyEgressRule policyTypes:[]string"},
    {"NetworkPolicyIngressRule", "ports:[]NetworkPolicyPort from:[]NetworkPolicyPeer"},
    {"NetworkPolicyEgressRule", "ports:[]NetworkPolicyPort to:[]NetworkPolicyPeer"},
    {"NetworkPolicyPort", "protocol:string port:int-or-string endPort:integer"},
    {"NetworkPolicyPeer",
     "podSelector:LabelSelector namespaceSelector:LabelSelector ipBlock:IPBlock"},
    {"IPBlock", "cidr:string except:[]string"},
    {"PriorityClass",
     "apiVersion:string kind:string metadata:ObjectMeta value:integer globalDefault:boolean "
     "description:string preemptionPolicy:string"},
    {"StorageClass",
     "apiVersion:string kind:string metadata:ObjectMeta provisioner:string "
     "parameters:{}string reclaimPolicy:string mountOptions:[]string "
     "allowVolumeExpansion:boolean volumeBindingMode:string allowedTopologies:[]object"},
};

constexpr const char* kScalars[] = {"string",   "integer",       "number", "boolean",
                                    "quantity", "int-or-string", "time",   "object"};

bool is_scalar(std::string_view element) {
  return std::find(std::begin(kScalars), std::end(kScalars), element) != std::end(kScalars);
}

FieldType parse_type(std::string text) {
  FieldType type;
  if (text.starts_with("{}")) {
    type.shape = FieldType::Shape::kMap;
    text = text.substr(2);
  } else if (text.starts_with("[]")) {
    type.shape = FieldType::Shape::kList;
    text = text.substr(2);
    if (text.ends_with("/retainKeys")) {
      type.retain_keys = true;
      text.resize(text.size() - std::string_view("/retainKeys").size());
    }
    if (auto at = text.find('@'); at != std::string::npos) {
      type.merge = ListMerge::kByKey;
      type.merge_key = text.substr(at + 1);
      text.resize(at);
    } else if (text.ends_with("+")) {
      type.merge = ListMerge::kScalarSet;
      text.pop_back();
    }
  }
  type.element = text;
  return type;
}

}  // namespace

bool FieldType::is_struct() const {
  return !is_scalar(element);
}

const FieldType* StructType::field(std::string_view name) const {
  for (const auto& [n, t] : fields)
    if (n == name) return &t;
  return nullptr;
}

KindTypes::KindTypes() {
  for (const auto& [name, text] : kTable) {
    StructType s{name, {}};
    std::istringstream in(text);
    std::string item;
    while (in >> item) {
      if (item.starts_with("...")) {
        const StructType* embedded = find(item.substr(3));
        if (!embedded) throw std::logic_error("kind table: " + s.name + " embeds unknown " + item);
        s.fields.insert(s.fields.end(), embedded->fields.begin(), embedded->fields.end());
        continue;
      }
      auto colon = item.find(':');
      if (colon == std::string::npos) throw std::logic_error("kind table: bad field " + item);
      s.fields.emplace_back(item.substr(0, colon), parse_type(item.substr(colon + 1)));
    }
    structs_.push_back(std::move(s));
  }
  // A typo in the table is a programming error: every named struct must exist.
  for (const auto& s : structs_)
    for (const auto& [field, type] : s.fields)
      if (type.is_struct() && !find(type.element))
        throw std::logic_error("kind table: " + s.name + "." + field + " names unknown type " +
                               type.element);
}

const KindTypes& KindTypes::get() {
  static const KindTypes table;
  return table;
}

const StructType* KindTypes::find(std::string_view struct_name) const {
  for (const auto& s : structs_)
    if (s.name == struct_name) return &s;
  return nullptr;
}

const StructType* KindTypes::for_kind(std::string_view kind) const {
  const StructType* s = find(kind);
  return s && s->field("metadata") && s->field("kind") ? s : nullptr;
}

}  // namespace kinda::api
