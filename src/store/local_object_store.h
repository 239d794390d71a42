// LocalObjectStore: the embedded ObjectStore, a folder on disk that the API serves under /media/.
//
// Key "a/b.jpg" is the file <root>/a/b.jpg. Puts are atomic (a temporary file in <root>/.~tmp/,
// fsync, rename), so a reader sees the old object or the new one, never a part. Opening the store
// removes the temporary files a killed process left behind. The content type
// given to Put is not stored: the HTTP layer derives it from the key (store/content_type.h).
// Differences from S3 that callers may meet: "a" and "a/b" cannot both be objects (the second Put
// is FailedPrecondition), and a segment longer than 255 bytes is InvalidArgument.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/object_store.h"

namespace enhancer {

// Opens (and creates, with its parents) the folder `root_dir`. `public_base` is the URL prefix the
// folder is served at; PublicUrl(key) is public_base + "/" + key. Errors: FailedPrecondition when
// the folder cannot be created or is not a folder. The store is thread-safe, and several processes
// may share one folder.
Result<std::unique_ptr<ObjectStore>> OpenLocalObjectStore(const std::string& root_dir,
                                                          std::string public_base = "/media");

}  // namespace enhancer
