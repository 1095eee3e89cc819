// The rows of the kinds other than pods and nodes, each as the API server's printer for it
// (kubernetes pkg/printers/internalversion) fills the cells of its columns.
#pragma once

#include <nlohmann/json.hpp>

#include "printers/table.hpp"

namespace kinda::printers {

PrintedRow print_statefulset(const nlohmann::json& set);
PrintedRow print_controller_revision(const nlohmann::json& revision);
PrintedRow print_service(const nlohmann::json& service);
PrintedRow print_claim(const nlohmann::json& claim);
PrintedRow print_event(const nlohmann::json& event);
PrintedRow print_namespace(const nlohmann::json& ns);
PrintedRow print_configmap(const nlohmann::json& map);
PrintedRow print_secret(const nlohmann::json& secret);
PrintedRow print_lease(const nlohmann::json& lease);
// GetAccessModesAsString: "RWO,ROX,RWX,RWOP" in that order, for claims and volumes.
std::string access_modes(const nlohmann::json& modes);
// Kinds without a printer: the name and creationTimestamp in RFC 3339.
PrintedRow print_default(const nlohmann::json& object);

}  // namespace kinda::printers
