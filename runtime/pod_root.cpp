#include "runtime/pod_root.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/syscall.hpp"
#include "runtime/user_namespace.hpp"

namespace kinda::runtime {
namespace {

// Layout of the staging tmpfs, which is the root between the two pivots. The first pivot moves the
// host's tree to kHost without the staging mount inside it, so binding host directories can never
// copy the pod's half-built root into itself.
constexpr const char* kHost = "/host";
constexpr const char* kPod = "/pod";
constexpr const char* kSources = "/sources";    // volume sources and resolver files, bound while
                                                // their host paths still resolve as the host's
constexpr const char* kShadowed = "/shadowed";  // a directory about to be covered by a tmpfs
constexpr int kMaxSymlinks = 40;

Status check(bool succeeded, const std::string& what) {
  if (succeeded) return Ok{};
  return errno_error(what, errno);
}

std::string read_proc_text(const char* path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// A tmpfs's owner options must name ids mapped in our user namespace. In an unprivileged sandbox
// only our own are, and a host directory's owner may show as the unmapped overflow id; the tmpfs
// is then ours, which changes nothing the pod could not already do.
Status mount_tmpfs(const std::string& path, mode_t mode, uid_t uid, gid_t gid) {
  if (!id_mapped(read_proc_text("/proc/self/uid_map"), uid)) uid = ::geteuid();
  if (!id_mapped(read_proc_text("/proc/self/gid_map"), gid)) gid = ::getegid();
  std::ostringstream options;
  options << "mode=" << std::oct << (mode & 07777) << std::dec << ",uid=" << uid << ",gid=" << gid;
  return check(
      ::mount("tmpfs", path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.str().c_str()) == 0,
      "mount a tmpfs on " + path);
}

Status bind_tree(const std::string& source, const std::string& target) {
  return check(::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) == 0,
               "bind " + source + " to " + target);
}

// A bind mount needs a directory to cover a directory and a non-directory for anything else.
Status make_mount_point(const std::string& path, bool directory) {
  if (directory) return check(::mkdir(path.c_str(), 0755) == 0, "create directory " + path);
  UniqueFd file(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  return check(file.valid(), "create file " + path);
}

// Read-only bind remounts replace the mount's flags, so keep the ones it already has.
Status remount_read_only(const std::string& path) {
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) != 0) return errno_error("inspect mount " + path, errno);
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
  if (fs.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (fs.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (fs.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (fs.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (fs.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (fs.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return check(::mount(nullptr, path.c_str(), nullptr, flags, nullptr) == 0,
               "make " + path + " read-only");
}

// Makes the empty directory `to` look like `from`: subdirectories and files are bound from it
// (recursively, with the mounts below them), symlinks are copied.
Status replicate_entries(const std::string& from, const std::string& to) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(from.c_str()), ::closedir);
  if (!dir) return errno_error("list " + from, errno);
  while (true) {
    errno = 0;
    dirent* entry = ::readdir(dir.get());
    if (!entry) break;
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    const std::string source = from + "/" + name;
    const std::string target = to + "/" + name;
    struct stat st {};
    if (::fstatat(::dirfd(dir.get()), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return errno_error("inspect " + source, errno);
    }
    if (S_ISLNK(st.st_mode)) {
      std::string link(PATH_MAX, '\0');
      ssize_t length = ::readlink(source.c_str(), link.data(), link.size());
      if (length < 0) return errno_error("read symlink " + source, errno);
      link.resize(length);
      if (auto copied =
              check(::symlink(link.c_str(), target.c_str()) == 0, "copy symlink " + source);
          !copied) {
        return copied;
      }
      continue;
    }
    if (auto made = make_mount_point(target, S_ISDIR(st.st_mode)); !made) return made;
    if (auto bound = bind_tree(source, target); !bound) return bound;
  }
  if (errno != 0) return errno_error("list " + from, errno);
  return Ok{};
}

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> parts;
  std::istringstream stream(path);
  std::string part;
  while (std::getline(stream, part, '/')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

// Pod paths are absolute, normalised, "/" for the root.
std::string child_of(const std::string& parent, const std::string& name) {
  return parent == "/" ? "/" + name : parent + "/" + name;
}

std::string parent_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

// Where a pod path is while the pod's root is being built.
std::string staged(const std::string& pod_path) {
  return pod_path == "/" ? kPod : std::string(kPod) + pod_path;
}

bool is_within(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         (dir == "/" || path[dir.size()] == '/'));
}

class PodRootBuilder {
 public:
  explicit PodRootBuilder(const SandboxSpec& spec) : spec_(spec) {}

  Status build() {
    if (auto staged_sources = stage(); !staged_sources) return staged_sources;
    if (auto populated = populate(); !populated) return populated;
    return pivot_into_pod();
  }

 private:
  // While host paths still resolve as the host's (symlinks included), bind every source into
  // the staging tmpfs; then pivot so the host's tree sits at kHost.
  Status stage() {
    const std::string staging = spec_.dir + "/root";
    if (::mkdir(staging.c_str(), 0700) != 0 && errno != EEXIST) {
      return errno_error("create " + staging, errno);
    }
    // Owned by whoever builds the pod: root, or in a user namespace the user who started kinda.
    if (auto mounted = mount_tmpfs(staging, 0755, ::geteuid(), ::getegid()); !mounted) {
      return mounted;
    }
    for (const char* dir : {kHost, kPod, kSources, kShadowed}) {
      if (auto made = make_mount_point(staging + dir, true); !made) return made;
    }
    if (auto memory = mount_memory_volumes(staging); !memory) return memory;
    for (size_t i = 0; i < spec_.mounts.size(); ++i) {
      const BindMount& mount = spec_.mounts[i];
      std::string source = mount.source;
      if (!mount.memory_volume.empty()) {
        auto inside = memory_source(staging, mount);
        if (!inside) return inside.error();
        source = *inside;
      }
      struct stat st {};
      if (::stat(source.c_str(), &st) != 0) {
        return errno_error("volume source \"" + source + "\" for " + mount.target, errno);
      }
      const std::string point = staging + kSources + "/" + std::to_string(i);
      if (auto made = make_mount_point(point, S_ISDIR(st.st_mode)); !made) return made;
      if (auto bound = bind_tree(source, point); !bound) return bound;
    }
    for (const auto& [source, name] :
         {std::pair{spec_.resolv_conf, "resolv.conf"}, std::pair{spec_.hosts, "hosts"}}) {
      if (source.empty()) continue;
      const std::string point = staging + kSources + "/" + name;
      if (auto made = make_mount_point(point, false); !made) return made;
      if (auto bound = bind_tree(source, point); !bound) return bound;
    }
    if (::syscall(SYS_pivot_root, staging.c_str(), (staging + kHost).c_str()) != 0) {
      return errno_error("pivot_root into " + staging, errno);
    }
    return check(::chdir("/") == 0, "enter the staging root");
  }

  // Each emptyDir of medium Memory is one tmpfs in the staging root, sized by its sizeLimit; the
  // pod's mounts of it are binds of it (or of a subPath in it), so its containers share it.
  Status mount_memory_volumes(const std::string& staging) {
    for (const MemoryVolume& volume : spec_.memory_volumes) {
      const std::string point = memory_root(staging, volume.name);
      if (auto made = make_mount_point(point, true); !made) return made;
      std::ostringstream options;
      gid_t gid = volume.gid >= 0 ? static_cast<gid_t>(volume.gid) : ::getegid();
      if (!id_mapped(read_proc_text("/proc/self/gid_map"), gid)) gid = ::getegid();
      options << "mode=" << std::oct << (volume.mode & 07777) << std::dec << ",uid=" << ::geteuid()
              << ",gid=" << gid;
      if (volume.size_bytes > 0) options << ",size=" << volume.size_bytes;
      if (::mount("tmpfs", point.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.str().c_str()) !=
          0) {
        return errno_error("mount the memory volume \"" + volume.name + "\"", errno);
      }
    }
    return Ok{};
  }

  static std::string memory_root(const std::string& staging, const std::string& name) {
    return staging + kSources + "/memory-" + name;
  }

  // The directory a bind of a memory volume starts from: its root or a subPath made in it.
  Result<std::string> memory_source(const std::string& staging, const BindMount& mount) {
    std::string path = memory_root(staging, mount.memory_volume);
    for (const auto& part : components(mount.source)) {
      if (part == "..")
        return Error::internal("subPath \"" + mount.source + "\" leaves its volume");
      path += "/" + part;
      if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST)
        return errno_error("create " + mount.source + " in memory volume " + mount.memory_volume,
                           errno);
    }
    return path;
  }

  Status populate() {
    if (auto mounted = mount_tmpfs(kPod, 0755, ::geteuid(), ::getegid()); !mounted) {
      return mounted;
    }
    synthetic_.insert("/");
    if (auto replicated = replicate_entries(kHost, kPod); !replicated) return replicated;

    // Parents before children, so a volume nested in another lands inside it.
    std::vector<size_t> order(spec_.mounts.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return spec_.mounts[a].target < spec_.mounts[b].target; });
    for (size_t i : order) {
      if (auto mounted = mount_volume(i); !mounted) return mounted;
    }
    if (!spec_.resolv_conf.empty()) {
      if (auto bound = mount_file(std::string(kSources) + "/resolv.conf", "/etc/resolv.conf");
          !bound) {
        return bound;
      }
    }
    if (!spec_.hosts.empty()) {
      return mount_file(std::string(kSources) + "/hosts", "/etc/hosts");
    }
    return Ok{};
  }

  Status mount_volume(size_t index) {
    const BindMount& mount = spec_.mounts[index];
    const std::string source = std::string(kSources) + "/" + std::to_string(index);
    struct stat st {};
    if (::stat(source.c_str(), &st) != 0) return errno_error("inspect " + source, errno);
    std::string target;
    if (S_ISDIR(st.st_mode)) {
      auto dir = make_directory(mount.target);
      if (!dir) return dir.error();
      if (auto bound = bind_tree(source, staged(*dir)); !bound) return bound;
      target = *dir;
    } else {
      auto file = mount_file(source, mount.target);
      if (!file) return file;
      target = mount.target;
    }
    volume_targets_.push_back(target);
    if (mount.read_only) return remount_read_only(staged(target));
    return Ok{};
  }

  // Creates the directory at pod_path, following symlinks as the pod will see them, and returns
  // its resolved pod path. A missing entry is made in a synthetic directory or inside a volume;
  // under a directory that comes from the host, that directory is shadowed first.
  Result<std::string> make_directory(const std::string& pod_path) {
    std::vector<std::string> pending = components(pod_path);
    std::reverse(pending.begin(), pending.end());
    std::string current = "/";
    int symlinks = 0;
    while (!pending.empty()) {
      const std::string name = pending.back();
      pending.pop_back();
      if (name == ".") continue;
      if (name == "..") {
        current = parent_of(current);
        continue;
      }
      const std::string next = child_of(current, name);
      struct stat st {};
      if (::lstat(staged(next).c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
          if (++symlinks > kMaxSymlinks) return errno_error("resolve " + pod_path, ELOOP);
          std::string link(PATH_MAX, '\0');
          ssize_t length = ::readlink(staged(next).c_str(), link.data(), link.size());
          if (length < 0) return errno_error("read symlink " + next, errno);
          link.resize(length);
          std::vector<std::string> parts = components(link);
          pending.insert(pending.end(), parts.rbegin(), parts.rend());
          if (link[0] == '/') current = "/";
          continue;
        }
        if (!S_ISDIR(st.st_mode)) {
          return Error::internal("cannot mount at " + pod_path + ": " + next +
                                 " is not a directory");
        }
        current = next;
        continue;
      }
      if (errno != ENOENT) return errno_error("inspect " + next, errno);
      if (!may_create_in(current)) {
        if (auto shadowed = shadow(current); !shadowed) return shadowed.error();
      }
      if (auto made = make_mount_point(staged(next), true); !made) return made.error();
      synthetic_.insert(next);
      current = next;
    }
    return current;
  }

  // Binds source over the file at pod_path. A symlink there (as /etc/resolv.conf often is) is
  // replaced by a plain file in a shadow of its directory, so the link's target is left alone.
  Status mount_file(const std::string& source, const std::string& pod_path) {
    auto parent = make_directory(parent_of(pod_path));
    if (!parent) return parent.error();
    const std::string file = child_of(*parent, base_name(pod_path));
    struct stat st {};
    bool exists = ::lstat(staged(file).c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
      return Error::internal("cannot mount a file at " + pod_path + ": it is a directory");
    }
    if (!exists || S_ISLNK(st.st_mode)) {
      bool need_shadow = exists ? !synthetic_.count(*parent) : !may_create_in(*parent);
      if (need_shadow) {
        if (auto shadowed = shadow(*parent); !shadowed) return shadowed;
      }
      if (exists && ::unlink(staged(file).c_str()) != 0) {
        return errno_error("replace symlink " + file, errno);
      }
      if (auto made = make_mount_point(staged(file), false); !made) return made;
    }
    return bind_tree(source, staged(file));
  }

  bool may_create_in(const std::string& dir) const {
    if (synthetic_.count(dir)) return true;
    return std::any_of(volume_targets_.begin(), volume_targets_.end(),
                       [&](const std::string& volume) { return is_within(dir, volume); });
  }

  // Covers a host directory with a tmpfs of the same mode and owner that shows the same entries,
  // so new entries can be made in it without touching the host.
  Status shadow(const std::string& pod_dir) {
    const std::string path = staged(pod_dir);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return errno_error("inspect " + path, errno);
    if (auto bound = bind_tree(path, kShadowed); !bound) return bound;
    if (auto mounted = mount_tmpfs(path, st.st_mode, st.st_uid, st.st_gid); !mounted) {
      return mounted;
    }
    if (auto replicated = replicate_entries(kShadowed, path); !replicated) return replicated;
    if (::umount2(kShadowed, MNT_DETACH) != 0) return errno_error("unmount " + path, errno);
    synthetic_.insert(pod_dir);
    return Ok{};
  }

  // pivot_root(".", ".") stacks the staging root on top of the pod's; detaching it drops the
  // host's tree and the staged sources from this namespace.
  Status pivot_into_pod() {
    if (::chdir(kPod) != 0) return errno_error("enter the pod root", errno);
    if (::syscall(SYS_pivot_root, ".", ".") != 0)
      return errno_error("pivot_root into the pod", errno);
    if (::umount2(".", MNT_DETACH) != 0) return errno_error("detach the staging root", errno);
    return check(::chdir("/") == 0, "enter the pod root");
  }

  const SandboxSpec& spec_;
  std::set<std::string> synthetic_;  // pod directories on our tmpfs mounts
  std::vector<std::string> volume_targets_;
};

}  // namespace

Status enter_pod_root(const SandboxSpec& spec) {
  return PodRootBuilder(spec).build();
}

}  // namespace kinda::runtime
