#include "kubelet/image_profile.hpp"

#include <glob.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <nlohmann/json.hpp>

#include "api/names.hpp"
#include "api/yaml_reader.hpp"

namespace kinda::kubelet {
namespace {

using nlohmann::json;

const std::set<std::string> kTopLevelKeys = {
    "names", "entrypoint", "cmd", "user", "workingDir", "ports", "env", "programs", "files"};

// Validation failures carry the profile's name and the field, so a user sees which file to fix.
struct Problem {
  std::string field, message;
};

void require(bool condition, const std::string& field, const std::string& message) {
  if (!condition) throw Problem{field, message};
}

std::string string_field(const json& j, const std::string& key, const std::string& field) {
  if (!j.contains(key) || j[key].is_null()) return "";
  require(j[key].is_string(), field, "must be a string");
  return j[key].get<std::string>();
}

std::vector<std::string> string_list(const json& j, const std::string& key,
                                     const std::string& field) {
  std::vector<std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  require(j[key].is_array(), field, "must be a list of strings");
  for (const auto& item : j[key]) {
    require(item.is_string(), field, "must be a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

void only_keys(const json& j, const std::set<std::string>& allowed, const std::string& field) {
  for (const auto& [key, value] : j.items())
    require(allowed.count(key) > 0, field.empty() ? key : field + "." + key, "unknown field");
}

// An absolute path without "." or ".." parts or doubled slashes: it becomes a mount target.
bool clean_absolute(const std::string& path) {
  if (path.empty() || path[0] != '/' || path.find("//") != std::string::npos) return false;
  std::stringstream parts(path.substr(1));
  std::string part;
  while (std::getline(parts, part, '/'))
    if (part == "." || part == "..") return false;
  return path.size() == 1 || path.back() != '/';
}

bool clean_relative(const std::string& path) {
  return !path.empty() && path[0] != '/' && clean_absolute("/" + path);
}

// An image reference's repository part: lowercase path components, an optional registry host
// with a port. Tags and digests are not part of a name a profile answers.
bool valid_repository(const std::string& name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                              c == '-' || c == '_' || c == '/' || c == ':';
                     }) &&
         image_repository(name) == name;
}

// USER: a name or uid, optionally ":" and a group name or gid.
bool valid_user(const std::string& user) {
  if (user.empty()) return true;
  auto colon = user.find(':');
  auto part_ok = [](const std::string& part) {
    return !part.empty() && part.size() <= 32 && std::all_of(part.begin(), part.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    }) && part[0] != '-';
  };
  if (colon == std::string::npos) return part_ok(user);
  return part_ok(user.substr(0, colon)) && part_ok(user.substr(colon + 1));
}

bool valid_port(const std::string& port) {
  auto slash = port.find('/');
  std::string number = port.substr(0, slash);
  std::string protocol = slash == std::string::npos ? "tcp" : port.substr(slash + 1);
  if (number.empty() || number.size() > 5 ||
      !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  int n = std::stoi(number);
  return n >= 1 && n <= 65535 && (protocol == "tcp" || protocol == "udp" || protocol == "sctp");
}

bool bare_program_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name != "." && name != "..";
}

ImageProfile parse(const json& j, const std::string& name, const std::string& dir,
                   const std::set<std::string>& files) {
  require(j.is_object(), "profile.yaml",
          "must be a mapping of the fields names, entrypoint, cmd, "
          "user, workingDir, ports, env, programs, files");
  only_keys(j, kTopLevelKeys, "");
  ImageProfile p;
  p.name = name;
  p.dir = dir;
  p.own_files = files;
  p.names = string_list(j, "names", "names");
  require(!p.names.empty(), "names", "must list at least one image repository");
  for (const auto& n : p.names)
    require(valid_repository(n), "names",
            "\"" + n + "\" is not an image repository (lowercase, no tag or digest)");
  p.entrypoint = string_list(j, "entrypoint", "entrypoint");
  p.cmd = string_list(j, "cmd", "cmd");
  if (j.contains("user") && j["user"].is_number_unsigned())
    p.user = std::to_string(j["user"].get<uint64_t>());
  else
    p.user = string_field(j, "user", "user");
  require(valid_user(p.user), "user", "\"" + p.user + "\" is not a user name or uid[:group]");
  p.working_dir = string_field(j, "workingDir", "workingDir");
  require(p.working_dir.empty() || clean_absolute(p.working_dir), "workingDir",
          "must be an absolute path");
  p.ports = string_list(j, "ports", "ports");
  for (const auto& port : p.ports)
    require(valid_port(port), "ports", "\"" + port + "\" is not PORT or PORT/tcp|udp|sctp");

  if (j.contains("env") && !j["env"].is_null()) {
    require(j["env"].is_array(), "env", "must be a list of {name, value}");
    for (size_t i = 0; i < j["env"].size(); ++i) {
      const json& e = j["env"][i];
      const std::string field = "env[" + std::to_string(i) + "]";
      require(e.is_object(), field, "must be {name, value}");
      only_keys(e, {"name", "value"}, field);
      auto var = string_field(e, "name", field + ".name");
      require(!var.empty() && api::check_env_var_name(var).empty(), field + ".name",
              "\"" + var + "\" is not a valid environment variable name");
      p.env.emplace_back(var, string_field(e, "value", field + ".value"));
    }
  }

  if (j.contains("programs") && !j["programs"].is_null()) {
    require(j["programs"].is_array(), "programs", "must be a list of {name, package, paths}");
    for (size_t i = 0; i < j["programs"].size(); ++i) {
      const json& e = j["programs"][i];
      const std::string field = "programs[" + std::to_string(i) + "]";
      require(e.is_object(), field, "must be {name, package, paths}");
      only_keys(e, {"name", "package", "paths"}, field);
      ProfileProgram program{string_field(e, "name", field + ".name"),
                             string_field(e, "package", field + ".package"),
                             string_list(e, "paths", field + ".paths")};
      require(bare_program_name(program.name), field + ".name", "must be a program name");
      for (const auto& path : program.paths)
        require(!path.empty() && path[0] == '/', field + ".paths", "must be absolute paths");
      p.programs.push_back(std::move(program));
    }
  }

  if (j.contains("files") && !j["files"].is_null()) {
    require(j["files"].is_array(), "files", "must be a list of {path, source|program|emptyDir}");
    for (size_t i = 0; i < j["files"].size(); ++i) {
      const json& e = j["files"][i];
      const std::string field = "files[" + std::to_string(i) + "]";
      require(e.is_object(), field, "must be {path, source|program|emptyDir}");
      only_keys(e, {"path", "source", "program", "emptyDir"}, field);
      ProfileFile file;
      file.path = string_field(e, "path", field + ".path");
      require(clean_absolute(file.path) && file.path != "/", field + ".path",
              "must be an absolute path below /");
      file.source = string_field(e, "source", field + ".source");
      file.program = string_field(e, "program", field + ".program");
      if (e.contains("emptyDir")) {
        require(e["emptyDir"].is_boolean(), field + ".emptyDir", "must be true or false");
        file.empty_dir = e["emptyDir"].get<bool>();
      }
      int kinds = !file.source.empty() + !file.program.empty() + file.empty_dir;
      require(kinds == 1, field, "needs exactly one of source, program or emptyDir: true");
      if (!file.source.empty()) {
        require(clean_relative(file.source), field + ".source",
                "must be a path inside the profile's directory");
        require(files.count(file.source) > 0, field + ".source",
                "\"" + file.source + "\" is not a file of this profile");
      }
      if (!file.program.empty())
        require(bare_program_name(file.program), field + ".program", "must be a program name");
      p.files.push_back(std::move(file));
    }
  }
  require(!p.entrypoint.empty() || !p.cmd.empty(), "entrypoint",
          "a profile needs an entrypoint or a cmd: otherwise it runs nothing");
  return p;
}

std::string newest_match(const std::string& pattern) {
  glob_t found{};
  std::vector<std::string> matches;
  if (::glob(pattern.c_str(), 0, nullptr, &found) == 0)
    for (size_t i = 0; i < found.gl_pathc; ++i)
      if (::access(found.gl_pathv[i], X_OK) == 0) matches.emplace_back(found.gl_pathv[i]);
  ::globfree(&found);
  if (matches.empty()) return "";
  return *std::max_element(matches.begin(), matches.end(), [](const auto& a, const auto& b) {
    return ::strverscmp(a.c_str(), b.c_str()) < 0;
  });
}

}  // namespace

std::string check_profile_name(const std::string& name) {
  if (name.empty() || name.size() > 63) return "must be 1 to 63 characters";
  if (name[0] == '.') return "must not start with '.'";
  bool ok = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
  return ok ? "" : "may hold only lowercase letters, digits, '-', '_' and '.'";
}

Result<ImageProfile> parse_image_profile(const std::string& yaml_text, const std::string& name,
                                         const std::string& dir,
                                         const std::set<std::string>& files) {
  const std::string where = "image profile \"" + name + "\"";
  if (auto bad = check_profile_name(name); !bad.empty())
    return Error::bad_request(where + ": the directory name " + bad);
  std::vector<json> documents;
  try {
    documents = api::read_yaml_documents(yaml_text);
  } catch (const std::exception& e) {
    return Error::bad_request(where + ": profile.yaml: " + e.what());
  }
  if (documents.size() != 1)
    return Error::bad_request(where + ": profile.yaml must hold exactly one YAML document");
  try {
    return parse(documents[0], name, dir, files);
  } catch (const Problem& problem) {
    return Error::bad_request(where + ": " + problem.field + ": " + problem.message);
  }
}

std::string find_program(const ProfileProgram& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path
                              : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    auto candidate = dir + "/" + program.name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  for (const auto& pattern : program.paths)
    if (auto found = newest_match(pattern); !found.empty()) return found;
  return "";
}

ProfileProgram program_named(const ImageProfile& profile, const std::string& name) {
  for (const auto& program : profile.programs)
    if (program.name == name) return program;
  return ProfileProgram{name, "", {}};
}

ImageEntry image_entry(const ImageProfile& profile, const ProgramFinder& find) {
  ImageEntry entry;
  entry.profile = profile.name;
  entry.entrypoint = profile.entrypoint;
  entry.cmd = profile.cmd;
  // A bare first word naming one of the profile's own files is that file: the script is exec'd
  // directly (its shebang), not looked up on PATH.
  auto resolve_own = [&](std::vector<std::string>& argv) {
    if (!argv.empty() && bare_program_name(argv[0]) && profile.own_files.count(argv[0]))
      argv[0] = profile.dir + "/" + argv[0];
  };
  resolve_own(entry.entrypoint);
  if (entry.entrypoint.empty()) resolve_own(entry.cmd);
  entry.working_dir = profile.working_dir;
  entry.user = profile.user;
  entry.env = profile.env;
  entry.ports = profile.ports;
  for (const auto& f : profile.files) {
    if (f.empty_dir) {
      entry.files.push_back({f.path, "", true});
    } else if (!f.source.empty()) {
      entry.files.push_back({f.path, profile.dir + "/" + f.source, false});
    } else if (auto host = find(program_named(profile, f.program)); !host.empty()) {
      entry.files.push_back({f.path, host, false});
    }
  }
  return entry;
}

}  // namespace kinda::kubelet
