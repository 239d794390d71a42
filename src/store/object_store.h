// ObjectStore: where enhanced images (and uploaded raw photos) live, by key.
//
// Keys are relative paths of [A-Za-z0-9._-] segments joined by '/', at most 512 bytes; anything
// else is InvalidArgument. Implementations: a local folder served under /media/, and S3.
// All methods are thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace enhancer {

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // Stores `bytes` under `key`, replacing what was there. Readers never see a partial object.
  virtual Status Put(std::string_view key, std::string_view bytes, std::string_view content_type) = 0;

  // NotFound when there is no such object.
  virtual Result<std::string> Get(std::string_view key) = 0;

  // Deleting a missing object is OK.
  virtual Status Delete(std::string_view key) = 0;

  // A URL a browser can load the object from: "/media/<key>" (relative to the API) for the local
  // folder, an S3, CDN or presigned URL for S3.
  virtual std::string PublicUrl(std::string_view key) const = 0;

  // Where the objects go, for the start-up log. Holds no secret.
  virtual std::string Describe() const = 0;
};

// True when `key` is a valid object key (see above).
bool IsValidObjectKey(std::string_view key);

}  // namespace enhancer
