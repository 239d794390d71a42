// CheckInputStep: the checks that need no decoder. The byte cap comes first so that nothing,
// not even the type sniffing, looks at an oversized input.
#include <string>

#include "render/pipeline.h"

namespace enhancer::render {

Status CheckInputStep(PrepareContext& context) {
  const int64_t size = static_cast<int64_t>(context.encoded.size());
  if (size == 0) return InvalidArgumentError("not an image: the input is empty");
  if (size > context.options.max_bytes) {
    return InvalidArgumentError("image is " + std::to_string(size) +
                                " bytes, more than the limit of " +
                                std::to_string(context.options.max_bytes));
  }
  std::optional<ImageType> type = SniffImageType(context.encoded);
  if (!type) {
    return InvalidArgumentError(
        "not an image: the data does not start like JPEG, PNG, WebP, GIF, TIFF or HEIF/AVIF");
  }
  context.type = *type;
  return OkStatus();
}

}  // namespace enhancer::render
