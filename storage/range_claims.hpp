// Which cluster holds which pod address range (127.<octet>.0.0/16) across every $KINDA_HOME of
// this user: one file per octet naming the cluster root that took it, in
// ${XDG_RUNTIME_DIR:-/tmp/kinda-ranges-<uid>}. A cluster's own home already knows its neighbours'
// ranges (their config.json), and a running cluster elsewhere is seen by its bound DNS port; a
// stopped one elsewhere is seen only here, so that no new cluster takes its range between its
// `down` and its next `up`.
#pragma once

#include <filesystem>
#include <optional>
#include <utility>

namespace kinda::storage {

class RangeClaims {
 public:
  // Locks the claims (flock) until destroyed; nullopt when no private directory for them can be
  // made (claims are a courtesy: the DNS bind still reports a taken range).
  static std::optional<RangeClaims> lock();
  RangeClaims(RangeClaims&& other) noexcept;
  RangeClaims& operator=(RangeClaims&&) = delete;
  ~RangeClaims();

  // Whether a cluster other than `self_root` holds `octet`: its claim names a root that still
  // exists and has that octet in its config.json (which its claimer writes under the lock).
  bool held_elsewhere(int octet, const std::filesystem::path& self_root) const;
  void claim(int octet, const std::filesystem::path& self_root) const;
  // Drops every claim naming `self_root`.
  void release(const std::filesystem::path& self_root) const;

 private:
  RangeClaims(std::filesystem::path dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}
  std::filesystem::path dir_;
  int lock_fd_ = -1;
};

// Locks the claims and releases `self_root`'s (kinda down --purge).
void release_range_claims(const std::filesystem::path& self_root);

}  // namespace kinda::storage
