// The API server's decoding step, before defaulting and validation: a body whose common fields
// have the wrong JSON type (metadata.name a number, spec a string, labels a list) cannot be read
// as the kind at all, so it is 400 BadRequest "<Kind> in version … cannot be handled as a
// <Kind>", as Kubernetes answers, instead of something later code trips over. Nulls read as
// absent fields, as they do when Go decodes them.
#pragma once

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "api/resources.hpp"

namespace kinda::api {

// Drops null metadata fields, spec and status; refuses the first field of the wrong type.
Status decode_object(const ResourceInfo& resource, nlohmann::json& object);

}  // namespace kinda::api
