// An image profile: what an official image does, as data, so that kinda can run a manifest
// naming that image with local programs. A profile is a directory holding profile.yaml and the
// files it names (entrypoint scripts, configuration); see images/README.md for the format.
// Parsing and validation are pure: the profile's files are given as a list, so the profiles
// compiled into the binary and those in a user's directory are read the same way.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/error.hpp"
#include "kubelet/image_map.hpp"

namespace kinda::kubelet {

// A host program the profile needs: found on PATH or at one of `paths` (globs; the highest
// version wins, as with /usr/lib/postgresql/*/bin/postgres), provided by a Debian package.
struct ProfileProgram {
  std::string name;
  std::string package;
  std::vector<std::string> paths;
};

// One entry of `files`: exactly one of source (a file of the profile), program (a host program)
// or empty_dir.
struct ProfileFile {
  std::string path;  // inside the pod
  std::string source;
  std::string program;
  bool empty_dir = false;
};

struct ImageProfile {
  std::string name;                // the profile's directory name
  std::string dir;                 // where the profile's files are on disk
  std::string origin;              // "built-in", "cluster" or "user"
  std::vector<std::string> names;  // image repositories it answers
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::string user;
  std::string working_dir;
  std::vector<std::string> ports;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<ProfileProgram> programs;
  std::vector<ProfileFile> files;
  std::set<std::string> own_files;  // every file of the profile's directory but profile.yaml
};

// Profile directory names become paths: lowercase letters, digits, '-', '_' and '.', not
// starting with '.'. Returns the reason when invalid, "" otherwise.
std::string check_profile_name(const std::string& name);

// Parses and validates profile.yaml. `files` are the profile's other files, relative to its
// directory ("docker-entrypoint.sh", "conf/default.conf"); `dir` is where they are on disk.
// The error names the profile and the field.
Result<ImageProfile> parse_image_profile(const std::string& yaml_text, const std::string& name,
                                         const std::string& dir,
                                         const std::set<std::string>& files);

// Where a program is on this host, "" when it is not installed.
using ProgramFinder = std::function<std::string(const ProfileProgram&)>;
// PATH first, then the program's globs, the highest version of each match.
std::string find_program(const ProfileProgram& program);
// The program entry for `name`: the profile's own when it lists one, else a bare PATH lookup.
ProfileProgram program_named(const ImageProfile& profile, const std::string& name);

// What a container of the image runs: an entrypoint or command naming a file of the profile
// becomes that file's path on disk; `files` entries resolve to host paths (a program that is
// not installed is left out: the container then fails as the missing program would).
ImageEntry image_entry(const ImageProfile& profile, const ProgramFinder& find = find_program);

}  // namespace kinda::kubelet
