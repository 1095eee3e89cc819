#include "kubelet/pod_manager_impl.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <unordered_set>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/object.hpp"
#include "kubelet/image_catalog.hpp"
#include "runtime/isolation.hpp"
#include "runtime/sandbox_spec.hpp"

namespace kinda::kubelet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Whether `path` inside the pod is a mount's target or below one (the mount then covers it).
bool under_a_mount(const std::vector<runtime::BindMount>& mounts, const std::string& path) {
  return std::any_of(mounts.begin(), mounts.end(), [&](const runtime::BindMount& m) {
    return path == m.target || path.rfind(m.target + "/", 0) == 0;
  });
}

}  // namespace

std::string PodManager::Impl::allocate_ip(const json& pod) {
  std::unordered_set<std::string> running;
  for (const auto& [key, run] : runs) running.insert(run->ip);
  const std::string uid = api::uid_of(pod);
  auto used = [&](const std::string& ip) {
    return running.count(ip) > 0 || opt.address_held_by_another(ip, uid);
  };
  auto previous = api::string_at(pod, "status.podIP");
  if (!previous.empty() && !used(previous)) return previous;
  // 127.X.0.1 is the cluster's DNS; hosts .1–.254 of each /24 below it are pod addresses.
  const std::string prefix = "127." + std::to_string(opt.config.pod_octet) + ".";
  constexpr int kHosts = 254, kAddresses = 255 * kHosts;
  for (int n = 0; n < kAddresses; ++n) {
    const int index = (next_address + n) % kAddresses;
    const int third = index / kHosts, fourth = 1 + index % kHosts;
    if (third == 0 && fourth == 1) continue;
    auto ip = prefix + std::to_string(third) + "." + std::to_string(fourth);
    if (used(ip)) continue;
    next_address = (index + 1) % kAddresses;
    return ip;
  }
  return "";
}

void PodManager::Impl::write_pod_files(const PodRun& run) {
  const auto& domain = opt.config.domain;
  std::ofstream resolv(run.dir / "resolv.conf", std::ios::trunc);
  resolv << "search " << run.ns << ".svc." << domain << " svc." << domain << " " << domain << "\n"
         << "nameserver " << opt.config.dns_ip << "\n"
         << "options ndots:5\n";
  std::ofstream hosts(run.dir / "hosts", std::ios::trunc);
  hosts << "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost "
           "ip6-loopback\n";
  auto hostname = api::string_at(run.pod, "spec.hostname", run.name);
  auto subdomain = api::string_at(run.pod, "spec.subdomain");
  hosts << run.ip << "\t";
  if (!subdomain.empty())
    hosts << hostname << "." << subdomain << "." << run.ns << ".svc." << domain << "\t";
  hosts << hostname << "\n";
}

std::variant<ContainerLaunch, LaunchProblem> PodManager::Impl::launch_for(const PodRun& run,
                                                                          const ContainerRun& c) {
  LaunchContext ctx;
  ctx.images = &opt.config.images;
  ctx.config_path = opt.paths.config().string();
  for (const auto& source : profile_directories(opt.paths.root))
    ctx.profile_dirs.push_back(source.dir.string());
  ctx.pod_ip = run.ip;
  const char* path = std::getenv("PATH");
  ctx.host_path = path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  ctx.base_env = {{"KINDA_CLUSTER_ROOT", opt.paths.root.string()},
                  {"KINDA_POD", run.key},
                  {"KINDA_POD_UID", run.uid},
                  {"KINDA_CONTAINER", c.name}};
  if (!runtime::has_pod_namespaces(opt.isolation))
    ctx.base_env.insert(ctx.base_env.end(), run.volume_env.begin(), run.volume_env.end());
  ctx.lookup = [this, ns = run.ns](const std::string& plural,
                                   const std::string& name) -> std::optional<json> {
    auto found = objects.store().get(plural, ns, name);
    if (!found) return std::nullopt;
    return *found;
  };
  return build_launch(run.pod, c.spec, ctx);
}

// Where a container's working directory is on the host when pods share the host's filesystem.
std::string PodManager::Impl::host_dir_for(const PodRun& run, const std::string& inside) {
  if (inside.empty()) return run.dir.string();
  for (const auto& m : run.mounts) {
    if (inside == m.target) return m.source;
    if (inside.rfind(m.target + "/", 0) == 0) return m.source + inside.substr(m.target.size());
  }
  std::error_code ec;
  if (fs::is_directory(inside, ec)) return inside;
  auto dir = run.dir / "workdir";
  fs::create_directories(dir, ec);
  return dir.string();
}

// The image's own files (ImageEntry::files): bound read-only where the image has them, unless a
// volume is mounted there (Kubernetes' volumes cover the image's content). An emptyDir entry is
// a writable directory of the pod's own, sticky and open to every user like /tmp, since the
// image's user is only known once the entrypoint drops to it.
void PodManager::Impl::add_image_files(PodRun& run, const ContainerRun& c,
                                       const ContainerLaunch& launch, runtime::SandboxSpec& spec) {
  std::error_code ec;
  for (size_t i = 0; i < launch.image_files.size(); ++i) {
    const auto& file = launch.image_files[i];
    // A volume at or above the path hides the image's content there, as Kubernetes' volumes
    // do (the tutorial's claim at /usr/share/nginx/html must stay writable, index.html and
    // all); another container of the same image has already bound it.
    bool covered = under_a_mount(run.mounts, file.path);
    bool taken = std::any_of(spec.mounts.begin(), spec.mounts.end(),
                             [&](const auto& m) { return m.target == file.path; });
    if (covered || taken) continue;
    if (!file.empty_dir) {
      spec.mounts.push_back({file.source, file.path, true});
      continue;
    }
    auto dir = run.dir / "image-dirs" / c.name / std::to_string(i);
    fs::create_directories(dir, ec);
    fs::permissions(dir, fs::perms::all | fs::perms::sticky_bit, ec);
    spec.mounts.push_back({dir.string(), file.path, false});
  }
}

// The sandbox the shim builds before any container starts: hostname, resolver files, volumes.
std::string PodManager::Impl::write_sandbox(PodRun& run) {
  if (!runtime::has_pod_namespaces(opt.isolation)) return "";
  runtime::SandboxSpec spec;
  spec.hostname = api::string_at(run.pod, "spec.hostname", run.name);
  spec.dir = run.dir.string();
  spec.resolv_conf = (run.dir / "resolv.conf").string();
  spec.hosts = (run.dir / "hosts").string();
  spec.mounts = run.mounts;
  spec.memory_volumes = run.memory_volumes;
  // Like Docker creating an image's WORKDIR: a working directory that exists neither on the
  // host nor in a volume gets an empty directory of the pod's own.
  std::error_code ec;
  run.each_container([&](ContainerRun& c) {
    auto launch = launch_for(run, c);
    auto* l = std::get_if<ContainerLaunch>(&launch);
    if (l) add_image_files(run, c, *l, spec);
    if (!l || l->working_dir.empty() || fs::is_directory(l->working_dir, ec)) return;
    bool covered = under_a_mount(spec.mounts, l->working_dir);
    if (covered) return;
    auto dir = run.dir / "workdirs" / c.name;
    fs::create_directories(dir, ec);
    spec.mounts.push_back({dir.string(), l->working_dir, false});
  });
  auto path = (run.dir / "sandbox.json").string();
  if (auto written = runtime::write_sandbox_spec(spec, path); !written) {
    spdlog::warn("pod {}: {}", run.key, written.error().message);
    return "";
  }
  return path;
}

}  // namespace kinda::kubelet
