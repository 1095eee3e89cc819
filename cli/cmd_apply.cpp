// kinda apply -f FILE|DIR|- : create or update objects from manifests, like kubectl apply.
#include <iostream>

#include "api/object.hpp"
#include "cli/apply.hpp"
#include "cli/commands.hpp"
#include "cli/printers/printers.hpp"
#include "cli/session.hpp"

namespace kinda::cli {
namespace {

void run_apply(const GlobalOptions& global, const std::vector<std::string>& files) {
  auto manifests = load_manifests(files, std::cin);
  if (!manifests) fail("error: " + manifests.error().message);
  auto session = open_session(global);
  if (!session) fail(session.error());
  std::vector<std::string> namespaces;
  for (const auto& m : *manifests) {
    auto ns = namespace_for(m, session->ns, session->ns_explicit);
    if (!ns) fail("error: " + ns.error().message);
    namespaces.push_back(*ns);
  }
  bool failed = false;
  for (size_t i = 0; i < manifests->size(); ++i) {
    const Manifest& m = (*manifests)[i];
    auto outcome = apply_manifest(session->client, m, namespaces[i]);
    if (!outcome) {
      if (is_transport_error(outcome.error())) fail(outcome.error());
      std::cerr << error_line(outcome.error()) << std::endl;
      failed = true;
      continue;
    }
    std::cout << object_ref(*m.resource, api::name_of(m.object)) << " " << outcome_word(*outcome)
              << std::endl;
  }
  if (failed) exit_failure();
}

}  // namespace

void register_apply(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("apply", "Create or update objects from manifest files");
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("-f,--filename", *files,
                  "Manifest file, directory of .yaml/.yml/.json files, or - for stdin")
      ->required();
  cmd->callback([&global, files] { run_apply(global, *files); });
}

}  // namespace kinda::cli
