// A pod's volumes, as the kubelet's volume manager sets them up: claims, emptyDirs (on disk or a
// tmpfs of the pod's sandbox), hostPaths, and the volumes it writes itself (ConfigMap, Secret,
// downwardAPI, projected) through the atomic writer, kept up to date while the pod runs; fsGroup
// ownership; subPath and subPathExpr; and what an isolation mode cannot enforce, said in events.
#include "kubelet/pod_manager_impl.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <set>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/object.hpp"
#include "api/quantity.hpp"
#include "api/timestamps.hpp"
#include "kubelet/volumes/atomic_writer.hpp"
#include "kubelet/volumes/read_only_root.hpp"
#include "kubelet/volumes/volume_ownership.hpp"
#include "kubelet/volumes/volume_projection.hpp"
#include "runtime/isolation.hpp"

namespace kinda::kubelet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Timer = boost::asio::steady_timer;

// The kubelet's sync period, after which updated ConfigMaps, Secrets and pod metadata reach
// mounted files at the latest (here they usually arrive at once, on the store's change).
constexpr double kVolumeSyncSeconds = 60;
// How soon a pod waiting for a volume's source looks again without a change to wake it.
constexpr double kMountRetrySeconds = 10;
// A service account token is renewed after 80% of the shortest lifetime the API allows (10 min),
// as the kubelet renews tokens at 80% of theirs.
constexpr long long kTokenRenewSeconds = 480;

std::string upper_env_name(std::string name) {
  for (auto& ch : name) ch = ch == '-' || ch == '.' ? '_' : static_cast<char>(std::toupper(ch));
  return name;
}

long long now_seconds() {
  return static_cast<long long>(std::time(nullptr));
}

std::optional<gid_t> fs_group_of(const json& pod) {
  const json* group = api::find_path(pod, "spec.securityContext.fsGroup");
  if (!group || !group->is_number_integer() || group->get<long long>() < 0) return std::nullopt;
  return static_cast<gid_t>(group->get<long long>());
}

FsGroupChangePolicy change_policy_of(const json& pod) {
  return api::string_at(pod, "spec.securityContext.fsGroupChangePolicy") == "OnRootMismatch"
             ? FsGroupChangePolicy::OnRootMismatch
             : FsGroupChangePolicy::Always;
}

bool memory_medium(const json& volume) {
  return api::string_at(volume, "emptyDir.medium") == "Memory";
}

bool safe_sub_path(const std::string& path) {
  return path.empty() || valid_projected_path(path);
}

std::map<std::string, std::string> env_map(const std::vector<std::string>& env) {
  std::map<std::string, std::string> values;
  for (const auto& entry : env)
    if (auto eq = entry.find('='); eq != std::string::npos)
      values[entry.substr(0, eq)] = entry.substr(eq + 1);
  return values;
}

}  // namespace

// Resolves the pod's volumes to host directories; returns a problem message when a claim is
// missing or not yet bound, so the pod waits in Pending like one waiting for its volume. A
// ConfigMap or Secret that is not there (yet) leaves run.mount_problem instead: the pod is
// scheduled and waits in ContainerCreating.
std::string PodManager::Impl::prepare_volumes(PodRun& run) {
  run.mounts.clear();
  run.volume_env.clear();
  run.memory_volumes.clear();
  run.mount_problem.clear();
  const bool namespaces = runtime::has_pod_namespaces(opt.isolation);
  const fs::path root = run.dir / "volumes";
  std::error_code ec;
  fs::create_directories(root, ec);
  // Secret contents live here: no other user of the host may look in, whatever the files' modes
  // inside the pod.
  ::chmod(root.c_str(), 0700);
  const auto fs_group = fs_group_of(run.pod);
  std::map<std::string, fs::path> sources;
  std::set<std::string> memory, projected;
  for (const auto& v : run.pod["spec"].value("volumes", json::array())) {
    std::string name = v.value("name", "");
    fs::path source;
    bool owned = false;  // fsGroup applies
    if (v.contains("persistentVolumeClaim")) {
      auto claim_name = api::string_at(v, "persistentVolumeClaim.claimName");
      auto claim = objects.store().get("persistentvolumeclaims", run.ns, claim_name);
      if (!claim) return "persistentvolumeclaim \"" + claim_name + "\" not found";
      if (api::is_terminating(*claim))
        return "persistentvolumeclaim \"" + claim_name + "\" is being deleted";
      if (api::string_at(*claim, "status.phase") != "Bound")
        return "pod has unbound immediate PersistentVolumeClaims";
      source = opt.paths.volumes() / run.ns / claim_name;
      // The bound PersistentVolume's directory (a claim of the same name as a retained one
      // gets a directory of its own; a static volume names its own path).
      if (auto pv_name = api::string_at(*claim, "spec.volumeName"); !pv_name.empty())
        if (auto pv = objects.store().get("persistentvolumes", "", pv_name)) {
          std::string path = api::string_at(*pv, "spec.hostPath.path");
          if (path.empty()) path = api::string_at(*pv, "spec.local.path");
          if (!path.empty()) source = path;
        }
      fs::create_directories(source, ec);
      // World-writable, as provisioners make a claim's directory, so a container running as any
      // runAsUser can write into it (added, so fsGroup's setgid stays).
      fs::permissions(source, fs::perms::all, fs::perm_options::add, ec);
      owned = true;
    } else if (v.contains("emptyDir") && memory_medium(v) && namespaces) {
      runtime::MemoryVolume tmpfs;
      tmpfs.name = name;
      if (const json* size = api::find_path(v, "emptyDir.sizeLimit"))
        tmpfs.size_bytes = api::memory_bytes(*size).value_or(0);
      if (fs_group) tmpfs.gid = *fs_group, tmpfs.mode = 02777;
      if (fs_group && opt.isolation == runtime::Isolation::UserNamespaces)
        run.volume_warnings.insert("fsGroup " + std::to_string(*fs_group) +
                                   " is not applied to volume \"" + name +
                                   "\": an unprivileged sandbox maps only its own group");
      run.memory_volumes.push_back(tmpfs);
      memory.insert(name);
      continue;
    } else if (v.contains("emptyDir")) {
      source = root / name;
      if (!fs::exists(source, ec)) {
        fs::create_directories(source, ec);
        ::chmod(source.c_str(), 0777);  // the kubelet's emptyDir mode
      }
      owned = true;
      if (memory_medium(v))
        run.volume_warnings.insert("emptyDir volume \"" + name +
                                   "\" has medium Memory but is a directory on disk: isolation " +
                                   runtime::to_string(opt.isolation) + " makes no mounts");
      else if (api::find_path(v, "emptyDir.sizeLimit"))
        run.volume_warnings.insert("sizeLimit of emptyDir volume \"" + name +
                                   "\" is not enforced: kinda does not evict pods for disk usage");
    } else if (v.contains("hostPath")) {
      source = api::string_at(v, "hostPath.path");
      if (api::string_at(v, "hostPath.type") == "DirectoryOrCreate")
        fs::create_directories(source, ec);
    } else if (is_projected_volume(v)) {
      source = root / name;
      if (auto problem = write_projected_volume(run, v, source); !problem.empty()) {
        // A volume written before keeps its files (the pod runs on, as the kubelet's does);
        // one never written holds the pod back.
        if (!fs::exists(source / "..data", ec) && run.mount_problem.empty())
          run.mount_problem = "MountVolume.SetUp failed for volume \"" + name + "\" : " + problem;
      }
      projected.insert(name);
    } else {
      return "volume \"" + name +
             "\": kinda supports persistentVolumeClaim, emptyDir, hostPath, configMap, secret, "
             "downwardAPI and projected volumes";
    }
    if (owned && fs_group)
      if (auto changed =
              set_volume_ownership(source.string(), *fs_group, false, change_policy_of(run.pod));
          !changed)
        run.volume_warnings.insert("fsGroup " + std::to_string(*fs_group) +
                                   " is not applied to volume \"" + name +
                                   "\": " + changed.error().message);
    sources[name] = source;
    run.volume_env.emplace_back("KINDA_VOLUME_" + upper_env_name(name), source.string());
  }
  if (!run.mount_problem.empty()) return "";

  std::set<std::string> targets;
  run.each_container([&](ContainerRun& c) {
    std::optional<std::map<std::string, std::string>> env;
    for (const auto& m : c.spec.value("volumeMounts", json::array())) {
      auto target = m.value("mountPath", "");
      auto name = m.value("name", "");
      if (!targets.insert(target).second) continue;
      std::string sub = m.value("subPath", "");
      if (m.contains("subPathExpr")) {
        if (!env) {
          auto launch = launch_for(run, c);
          auto* l = std::get_if<ContainerLaunch>(&launch);
          env = l ? env_map(l->env) : std::map<std::string, std::string>{};
        }
        sub = expand_variables(m.value("subPathExpr", ""), *env);
      }
      if (!safe_sub_path(sub)) {
        run.volume_warnings.insert("subPath \"" + sub + "\" of volume \"" + name +
                                   "\" in container " + c.name +
                                   " leaves the volume; mounted its root instead");
        sub.clear();
      }
      bool read_only = m.value("readOnly", false);
      if (memory.count(name)) {
        run.mounts.push_back({sub, target, read_only, name});
        continue;
      }
      auto source = sources[name];
      if (projected.count(name)) {
        // The kubelet mounts these read-only; a subPath binds the file the key resolves to
        // now, which (as on Kubernetes) later updates do not reach.
        read_only = true;
        if (!sub.empty()) source = fs::canonical(source / sub, ec);
        if (ec) {
          run.volume_warnings.insert("subPath \"" + sub + "\" of volume \"" + name +
                                     "\" does not exist");
          continue;
        }
      } else if (!sub.empty()) {
        source /= sub;
        fs::create_directories(source, ec);
      }
      if (!namespaces && (read_only || !sub.empty()))
        run.volume_warnings.insert(
            "volumeMount " + target + " of container " + c.name + ": " +
            (read_only ? std::string("readOnly") : "subPath") +
            " is not enforced: isolation none makes no mounts (the volume is at $KINDA_VOLUME_" +
            upper_env_name(name) + ")");
      run.mounts.push_back({source.string(), target, read_only});
    }
  });
  return "";
}

// Projects one ConfigMap, Secret, downwardAPI or projected volume into dir through the atomic
// writer; "" when it is up to date, else the kubelet's words for what is missing.
std::string PodManager::Impl::write_projected_volume(PodRun& run, const json& volume,
                                                     const fs::path& dir) {
  ProjectionContext ctx;
  ctx.lookup = [this, ns = run.ns](const std::string& plural,
                                   const std::string& name) -> std::optional<json> {
    auto found = objects.store().get(plural, ns, name);
    if (!found) return std::nullopt;
    return *found;
  };
  const long long now = now_seconds();
  if (run.token_issued_at == 0 || now - run.token_issued_at >= kTokenRenewSeconds)
    run.token_issued_at = now;
  ctx.token_issued_at = run.token_issued_at;
  ctx.node_cpu_millicores = 1000LL * std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
  ctx.node_memory_bytes = static_cast<int64_t>(::sysconf(_SC_PHYS_PAGES)) *
                          static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
  auto projected = project_volume(run.pod, volume, ctx);
  if (auto* problem = std::get_if<MountProblem>(&projected)) return problem->message;
  const auto fs_group = fs_group_of(run.pod);
  const std::string name = volume.value("name", "");
  // Without the privilege to give files the group (an unprivileged cluster), the files keep
  // the modes asked for and a warning says fsGroup is not applied.
  auto not_applied = [&](const Error& e) {
    run.volume_warnings.insert("fsGroup " + std::to_string(*fs_group) +
                               " is not applied to volume \"" + name + "\": " + e.message);
  };
  BeforePublish give_group;
  if (fs_group)
    give_group = [&](const std::string& fresh) -> Status {
      if (auto given = set_volume_ownership(fresh, *fs_group, true); !given)
        not_applied(given.error());
      return Ok{};
    };
  auto written = write_atomically(dir.string(), std::get<FileSet>(projected), give_group);
  if (!written) return written.error().message;
  if (*written && fs_group)
    if (auto root = set_volume_ownership(dir.string(), *fs_group, true); !root)
      not_applied(root.error());
  if (*written) spdlog::info("pod {}: volume {} updated", run.key, name);
  return "";
}

// The kubelet's periodic volume sync: projected volumes follow their sources; a pod waiting for
// one tries again and starts once they are all there.
void PodManager::Impl::sync_volumes(PodRun& run) {
  if (run.terminating || run.completed || run.finished || shutting_down) return;
  if (!run.mount_problem.empty()) {
    const std::string before = run.mount_problem;
    if (auto problem = prepare_volumes(run); !problem.empty()) run.mount_problem = problem;
    if (!run.mount_problem.empty()) {
      if (run.mount_problem != before)
        events.record(run.pod, "Warning", "FailedMount", run.mount_problem, "kubelet");
      return;
    }
    spdlog::info("pod {}: its volumes are ready", run.key);
    return launch_prepared(run);
  }
  for (const auto& v : run.pod["spec"].value("volumes", json::array())) {
    if (!is_projected_volume(v)) continue;
    if (auto problem = write_projected_volume(run, v, run.dir / "volumes" / v.value("name", ""));
        !problem.empty())
      spdlog::warn("pod {}: volume {} keeps its files: {}", run.key, v.value("name", ""), problem);
  }
  report_volume_warnings(run);
}

void PodManager::Impl::schedule_volume_sync(PodRun& run) {
  const double seconds = run.mount_problem.empty() ? kVolumeSyncSeconds : kMountRetrySeconds;
  run.volume_timer = std::make_unique<Timer>(io, scaled(seconds));
  run.volume_timer->async_wait([this, key = run.key, uid = run.uid](boost::system::error_code ec) {
    if (ec) return;
    auto* run = find_run(key, uid);
    if (!run || run->terminating) return;
    sync_volumes(*run);
    if (auto* still = find_run(key, uid)) schedule_volume_sync(*still);
  });
}

// readOnlyRootFilesystem: the shim remounts the pod's root read-only in a mount namespace of
// the container's own, all but its volumes and the resolver files, which stay writable.
void PodManager::Impl::add_read_only_root(PodRun& run, ContainerRun& c, json& request) {
  if (!has_read_only_root(c.spec)) return;
  if (!runtime::has_pod_namespaces(opt.isolation)) {
    run.volume_warnings.insert("readOnlyRootFilesystem of container " + c.name +
                               " is not enforced: isolation none makes no mounts");
    return report_volume_warnings(run);
  }
  json writable = {"/etc/hosts", "/etc/resolv.conf"};
  for (const auto& mount : run.mounts) writable.push_back(mount.target);
  request["readOnlyRootFilesystem"] = true;
  request["writablePaths"] = writable;
}

// Each warning about what this pod's volumes cannot have here, once per pod.
void PodManager::Impl::report_volume_warnings(PodRun& run) {
  for (const auto& warning : run.volume_warnings)
    if (run.volume_warnings_sent.insert(warning).second)
      events.record(run.pod, "Warning", "VolumeNotEnforced", warning, "kubelet");
}

}  // namespace kinda::kubelet
