#include "exactly_once.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "enhancer_instance.h"

namespace enhancer::testing {

namespace fs = std::filesystem;

void ExpectEachProductEnhancedExactlyOnce(DirectAccess& access, const fs::path& media_dir,
                                          const std::vector<int64_t>& ids, int images_per_product) {
  ASSERT_NE(access.repository, nullptr);
  std::set<std::string> expected_files;
  for (int64_t id : ids) {
    Result<Product> product = access.repository->GetProduct(id);
    ASSERT_TRUE(product.has_value()) << product.error().ToString();
    EXPECT_EQ(product->status, ProductStatus::kPendingReview)
        << "product " << id << ": " << ProductStatusName(product->status) << " " << product->error;
    EXPECT_EQ(product->error, "") << "product " << id;
    Result<std::vector<ProductImage>> images = access.repository->ListImages(id);
    ASSERT_TRUE(images.has_value()) << images.error().ToString();
    EXPECT_EQ(images->size(), static_cast<size_t>(images_per_product)) << "product " << id;
    const std::string prefix = "products/" + std::to_string(id) + "/" + product->source_hash + "/";
    std::set<std::string> variants;
    for (const ProductImage& image : *images) {
      EXPECT_TRUE(variants.insert(image.variant).second)
          << "product " << id << " " << image.variant << " twice";
      EXPECT_EQ(image.status, ImageStatus::kPendingReview);
      for (const std::string& key : {image.storage_key, image.thumbnail_key}) {
        EXPECT_TRUE(key.starts_with(prefix)) << key << " not under " << prefix;
        EXPECT_TRUE(expected_files.insert(key).second) << key << " recorded twice";
        EXPECT_TRUE(fs::is_regular_file(media_dir / key)) << key << " missing";
      }
      std::error_code ec;
      EXPECT_EQ(static_cast<int64_t>(fs::file_size(media_dir / image.storage_key, ec)), image.bytes)
          << image.storage_key;
    }
  }
  const int64_t rows = access.QueryInt("SELECT COUNT(*) FROM product_images");
  EXPECT_EQ(rows, static_cast<int64_t>(ids.size()) * images_per_product);
  EXPECT_EQ(access.QueryInt("SELECT COUNT(*) FROM product_images WHERE product_id NOT IN "
                            "(SELECT id FROM products)"),
            0)
      << "orphan image rows";
  for (const std::string& file : FilesUnder(media_dir)) {
    EXPECT_EQ(file.find("~tmp"), std::string::npos) << "temporary file left behind: " << file;
    if (file.starts_with("uploads/")) continue;
    EXPECT_TRUE(expected_files.count(file)) << "unrecorded object: " << file;
  }
  const std::vector<std::string> all = FilesUnder(media_dir);
  size_t objects = 0;
  for (const std::string& file : all) objects += file.starts_with("uploads/") ? 0 : 1;
  EXPECT_EQ(objects, expected_files.size());
}

}  // namespace enhancer::testing
