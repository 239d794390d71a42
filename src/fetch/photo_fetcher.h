// PhotoFetcher: the safe download of a product's raw photo from the URL a shop typed in.
//
// The URL is untrusted input, so every download is held to fixed rules (DESIGN.md, "Safety of the
// image download"):
//   - http and https only, for the URL and for every redirect;
//   - the address each connection really goes to (after DNS, for every redirect) must pass the
//     AddressPolicy: no loopback, private, link-local, metadata, ... unless allowed_networks opens
//     it; refused addresses are never connected to;
//   - at most max_bytes, refused from Content-Length when the server announces more, and cut off
//     once the body passes the limit otherwise;
//   - connect and total time limits, and a stop_token that aborts the transfer;
//   - the type is sniffed from the bytes; the Content-Type header is ignored;
//   - no proxy from the environment (the policy must see the real destination), and credentials
//     in the URL never appear in a message.
#pragma once

#include <chrono>
#include <cstdint>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fetch/address_policy.h"
#include "fetch/cidr.h"
#include "fetch/image_type.h"

namespace enhancer {

struct FetchOptions {
  // The largest photo accepted, in bytes.
  int64_t max_bytes = 50 * 1024 * 1024;
  // Time to establish a connection (DNS, TCP, TLS), per connection.
  std::chrono::milliseconds connect_timeout{5000};
  // Time for the whole download, redirects included.
  std::chrono::milliseconds total_timeout{30000};
  // Redirects followed; one more is InvalidArgument "too many redirects".
  int max_redirects = 5;
  // Networks opened despite the address policy (FETCH_ALLOWED_NETWORKS), e.g. 127.0.0.0/8 for
  // tests on loopback. Empty by default.
  std::vector<Cidr> allowed_networks;
  std::string user_agent = "enhancer/0.1";

  // InvalidArgument naming the field when a value is out of range.
  Status Validate() const;
};

struct FetchedPhoto {
  std::string bytes;
  ImageType type = ImageType::kJpeg;
  std::string content_type;  // as sniffed: "image/jpeg", "image/png", ...
  std::string final_url;     // after redirects, without credentials
};

class PhotoFetcher {
 public:
  // `options` must be valid (Validate() is OK): bad configuration is caught at start-up.
  explicit PhotoFetcher(FetchOptions options);

  // Downloads `url`. Thread-safe: each call has its own connection(s); calls may run in parallel.
  // Errors (permanent ones first):
  //   InvalidArgument   "unsupported URL scheme ...", "malformed URL ...", "refusing to fetch from
  //                     127.0.0.1: loopback address (...)", "too many redirects ...", "image is
  //                     larger than the limit of N bytes", "empty response", "not an image (looks
  //                     like HTML)", "image URL answered HTTP 403", TLS certificate failures.
  //   NotFound          HTTP 404 and 410.
  //   Unavailable       HTTP 408, 429 and 5xx; DNS failure; connection refused or reset. A name
  //                     that does not resolve is treated as transient: the resolver reports a
  //                     typo and an outage alike, and the worker gives up after its retries.
  //   DeadlineExceeded  the connect or total time limit passed.
  //   Cancelled         `stop` was requested (noticed within about a second).
  Result<FetchedPhoto> Fetch(std::string_view url, std::stop_token stop = {}) const;

  const FetchOptions& options() const { return options_; }

 private:
  FetchOptions options_;
  AddressPolicy policy_;
};

}  // namespace enhancer
