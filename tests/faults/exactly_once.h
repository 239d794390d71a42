// The exactly-once checks every fault test ends with: each product is pending_review with exactly
// its images, once each, and the database and the media folder hold nothing else.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "direct_access.h"

namespace enhancer::testing {

// Records a test failure for every product of `ids` that is not pending_review with exactly
// `images_per_product` images (distinct variants and keys, under products/<id>/<source hash>/,
// each file and thumbnail present with the recorded size), for any row of product_images beyond
// those (none orphaned), and for any file in `media_dir` that is neither one of those objects nor
// an upload (no duplicates, no temporary files).
void ExpectEachProductEnhancedExactlyOnce(DirectAccess& access,
                                          const std::filesystem::path& media_dir,
                                          const std::vector<int64_t>& ids, int images_per_product);

}  // namespace enhancer::testing
