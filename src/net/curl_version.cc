#include "net/curl_version.h"

#include <curl/curl.h>

namespace enhancer {

std::string CurlVersion() {
  // The run-time library, not LIBCURL_VERSION from the headers: they differ after an upgrade.
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  if (info == nullptr || info->version == nullptr) return "unknown";
  std::string version = info->version;
  if (info->ssl_version != nullptr) version += std::string(" (") + info->ssl_version + ")";
  return version;
}

}  // namespace enhancer
