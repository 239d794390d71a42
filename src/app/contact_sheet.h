// ContactSheet: the index.html that `enhancer enhance` writes into --out: each photo beside its
// enhanced variants, a before/after comparison per variant, each variant's prompt and recipe,
// and the photos that failed with their reasons.
//
// The page is one self-contained file that works opened from disk (file://) with no network:
// the review desk's components (web/assets/components.{css,js}, compiled into the binary) are
// inlined, and every image is a relative link to a file below --out. The comparisons and recipe
// tables are built by those components from a JSON block; without script the page still shows
// every image, prompt and recipe (as plain JSON). Every string from a file name, a prompt or an
// error is escaped: a photo named `<img src=x onerror=alert(1)>.jpg` is text, never markup.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/photo_job.h"
#include "core/status.h"

namespace enhancer {

struct SheetPhoto {
  std::string source;       // shown as the photo's name: its path below the input folder
  std::string folder;       // its results' folder, '/'-separated, relative to --out ("b/c")
  std::string source_href;  // '/'-separated path from --out to the input file; may be empty
  PhotoResult result;       // image paths in it are relative to `folder`
};

struct ContactSheet {
  std::string title = "Enhanced photos";
  std::string generator;  // e.g. "enhancer 0.1.0", shown in the footer; may be empty
  std::vector<SheetPhoto> photos;
};

// The page, as HTML text. FailedPrecondition when the components are not compiled in or would
// not survive inlining (a closing tag inside them).
Result<std::string> RenderContactSheet(const ContactSheet& sheet);

// & < > " ' as character references: for text and attribute values alike.
std::string EscapeHtml(std::string_view text);

// A '/'-separated relative path as a URL path: every byte but unreserved characters and '/'
// percent-encoded, so '#', '?', '%' and spaces in file names stay part of the path.
std::string PercentEncodePath(std::string_view path);

}  // namespace enhancer
