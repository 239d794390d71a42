#include "render/vips_error.h"

#include <new>
#include <string>
#include <vips/vips8>

namespace enhancer::render {
namespace {

// libvips messages end with newlines and sometimes repeat a line per failing layer.
std::string Tidy(std::string_view message) {
  std::string out;
  size_t start = 0;
  while (start < message.size()) {
    size_t end = message.find('\n', start);
    if (end == std::string_view::npos) end = message.size();
    std::string_view line = message.substr(start, end - start);
    if (!line.empty() && out.find(line) == std::string::npos) {
      if (!out.empty()) out += "; ";
      out += line;
    }
    start = end + 1;
  }
  return out.empty() ? "libvips failed without a message" : out;
}

}  // namespace

Status GuardVips(std::string_view what, StatusCode code, const std::function<Status()>& body) {
  try {
    return body();
  } catch (const vips::VError& error) {
    return Status(code, std::string(what) + ": " + Tidy(error.what()));
  } catch (const std::bad_alloc&) {
    return ResourceExhaustedError(std::string(what) + ": out of memory");
  } catch (const std::exception& error) {
    return InternalError(std::string(what) + ": " + error.what());
  } catch (...) {
    return InternalError(std::string(what) + ": unknown exception");
  }
}

}  // namespace enhancer::render
