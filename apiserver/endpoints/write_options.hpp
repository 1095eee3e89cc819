// The query parameters kubectl and client-go send on writes: ?dryRun=All, ?fieldValidation,
// ?fieldManager and ?force, read as the API server validates its Create/Update/Patch/
// DeleteOptions (422 Invalid for values it does not know), and the Warning headers a write's
// findings become.
#pragma once

#include <string>
#include <vector>

#include "apiserver/registry/object_service.hpp"
#include "apiserver/transport/http_types.hpp"

namespace kinda::apiserver {

Result<WriteOptions> write_options_of(const Request& request);
// DeleteOptions from the body (JSON) and the query (which wins), with ?dryRun.
Result<DeleteOptions> delete_options_of(const Request& request);

// `reply` with one `Warning: 299 - "<text>"` header per warning, as the API server sends them.
Reply with_warnings(Reply reply, const std::vector<std::string>& warnings);

}  // namespace kinda::apiserver
