// Turning libvips failures into Status. libvips' C++ API throws vips::VError; no exception may
// leave the render module, so every call into libvips runs inside GuardVips().
#pragma once

#include <functional>
#include <string_view>

#include "core/status.h"

namespace enhancer::render {

// Runs `body` and returns its Status. A vips::VError becomes `code` with the message
// "<what>: <libvips' message>"; running out of memory becomes ResourceExhausted; any other
// exception becomes Internal.
Status GuardVips(std::string_view what, StatusCode code, const std::function<Status()>& body);

}  // namespace enhancer::render
