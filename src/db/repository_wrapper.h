// RepositoryWrapper: a Repository that forwards every call to another one. Derive from it and
// override only the calls to observe or to fail (leveldb's EnvWrapper), e.g. to inject faults in
// tests.
#pragma once

#include "db/repository.h"

namespace enhancer {

class RepositoryWrapper : public Repository {
 public:
  // `target` is not owned and must outlive the wrapper.
  explicit RepositoryWrapper(Repository& target) : target_(target) {}

  Status Migrate() override { return target_.Migrate(); }
  Result<Product> CreateProduct(const NewProduct& product) override {
    return target_.CreateProduct(product);
  }
  Result<Product> GetProduct(int64_t id) override { return target_.GetProduct(id); }
  Result<ProductPage> ListProducts(const ProductFilter& filter) override {
    return target_.ListProducts(filter);
  }
  Status SetProductStatus(int64_t id, ProductStatus status, const std::string& error) override {
    return target_.SetProductStatus(id, status, error);
  }
  Status CompleteProduct(int64_t product_id, const std::string& source_hash,
                         const std::vector<ProductImage>& images) override {
    return target_.CompleteProduct(product_id, source_hash, images);
  }
  Result<std::vector<ProductImage>> ListImages(int64_t product_id) override {
    return target_.ListImages(product_id);
  }
  Result<ProductImage> GetImage(int64_t image_id) override { return target_.GetImage(image_id); }
  Result<ProductImage> SetImageStatus(int64_t image_id, ImageStatus status) override {
    return target_.SetImageStatus(image_id, status);
  }
  Result<StatusCounts> CountByStatus() override { return target_.CountByStatus(); }
  Status RecordPlan(int64_t product_id, const PlanRecord& plan) override {
    return target_.RecordPlan(product_id, plan);
  }
  Result<std::vector<ProductImage>> DeleteProduct(int64_t id) override {
    return target_.DeleteProduct(id);
  }

  Repository& target() const { return target_; }

 private:
  Repository& target_;
};

}  // namespace enhancer
