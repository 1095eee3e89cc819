// readOnlyRootFilesystem's plan: every mount point of the pod but its volumes, the resolver
// files and the kernel's trees, from a real-shaped mountinfo.
#include <catch2/catch.hpp>

#include "runtime/read_only_root.hpp"

using kinda::runtime::read_only_root_mounts;

TEST_CASE("read-only root: volumes, resolver files and kernel trees stay", "[read_only_root]") {
  const std::string mountinfo =
      "100 90 0:50 / / rw,relatime - tmpfs tmpfs rw\n"
      "101 100 8:1 /usr /usr rw,relatime - ext4 /dev/sda1 rw\n"
      "102 100 8:1 /etc /etc rw,relatime - ext4 /dev/sda1 rw\n"
      "103 102 8:1 /k/resolv.conf /etc/resolv.conf rw - ext4 /dev/sda1 rw\n"
      "104 102 8:1 /k/hosts /etc/hosts rw - ext4 /dev/sda1 rw\n"
      "105 100 0:5 / /proc rw - proc proc rw\n"
      "106 105 0:6 / /proc/sys/fs/binfmt_misc rw - autofs x rw\n"
      "107 100 0:7 / /dev rw - devtmpfs udev rw\n"
      "108 100 8:1 /k/data /data rw - ext4 /dev/sda1 rw\n"
      "109 108 0:60 / /data/cache rw - tmpfs tmpfs rw\n"
      "110 100 8:1 /my\\040dir /my\\040dir rw - ext4 /dev/sda1 rw\n"
      "111 101 8:1 /usr /usr rw - ext4 /dev/sda1 rw\n";
  auto mounts = read_only_root_mounts(mountinfo, {"/data", "/etc/hosts", "/etc/resolv.conf"});
  CHECK(mounts == std::vector<std::string>{"/", "/usr", "/etc", "/my dir"});
}
