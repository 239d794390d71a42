#include "app/enhance_command.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace enhancer {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return NotFoundError("no such file: " + path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open " + path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

Status WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return InternalError("cannot write " + path.string());
  return OkStatus();
}

}  // namespace

Result<std::vector<Recipe>> ReadRecipesFile(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text) return text.error();
  nlohmann::json json = nlohmann::json::parse(*text, nullptr, false);
  if (json.is_discarded()) return InvalidArgumentError(path + " is not valid JSON");
  if (json.is_object() && json.contains("recipes")) json = json["recipes"];
  if (!json.is_array() || json.empty() || json.size() > 10) {
    return InvalidArgumentError(path + " must hold an array of 1 to 10 recipes");
  }
  std::vector<Recipe> recipes;
  for (size_t i = 0; i < json.size(); ++i) {
    Result<Recipe> recipe = RecipeFromJson(json[i].dump());
    if (!recipe) return recipe.error().WithContext(path + ": recipe " + std::to_string(i + 1));
    recipes.push_back(*std::move(recipe));
  }
  return recipes;
}

Result<EnhanceFileResult> EnhanceFile(const PhotoEnhancer& enhancer, const EnhanceFileRequest& request) {
  Result<std::string> photo = ReadFile(request.input);
  if (!photo) return photo.error();
  EnhanceRequest enhance{"", "", request.count, std::nullopt};
  if (request.recipes_file) {
    Result<std::vector<Recipe>> recipes = ReadRecipesFile(*request.recipes_file);
    if (!recipes) return recipes.error();
    enhance.recipes = *std::move(recipes);
  }
  Result<EnhancedPhoto> enhanced = enhancer.Enhance(*photo, enhance, std::stop_token());
  if (!enhanced) return enhanced.error().WithContext(request.input);

  std::error_code ec;
  fs::create_directories(request.out_dir, ec);
  if (ec) return InternalError("cannot create " + request.out_dir + ": " + ec.message());

  EnhanceFileResult result;
  std::string stem = fs::path(request.input).stem().string();
  nlohmann::json images = nlohmann::json::array();
  int index = 0;
  for (const EnhancedImage& image : enhanced->images) {
    ++index;
    std::string base = stem + "_" + std::to_string(index) + "-" + image.recipe.name;
    std::string file = base + ".jpg", thumb = base + "_thumb.jpg";
    ENHANCER_RETURN_IF_ERROR(WriteFile(fs::path(request.out_dir) / file, image.rendered.image.jpeg));
    ENHANCER_RETURN_IF_ERROR(WriteFile(fs::path(request.out_dir) / thumb, image.rendered.thumbnail.jpeg));
    result.files.push_back((fs::path(request.out_dir) / file).string());
    result.files.push_back((fs::path(request.out_dir) / thumb).string());
    images.push_back({{"file", file},
                      {"thumbnail", thumb},
                      {"name", image.recipe.name},
                      {"prompt", image.recipe.prompt},
                      {"recipe", nlohmann::json::parse(ToJson(image.recipe))},
                      {"width", image.rendered.image.width},
                      {"height", image.rendered.image.height},
                      {"bytes", image.rendered.image.jpeg.size()},
                      {"thumbnail_width", image.rendered.thumbnail.width},
                      {"thumbnail_height", image.rendered.thumbnail.height}});
  }
  nlohmann::json manifest = {{"source", fs::path(request.input).filename().string()},
                             {"source_width", enhanced->source_width},
                             {"source_height", enhanced->source_height},
                             {"planner", enhanced->planner},
                             {"note", enhanced->note},
                             {"images", std::move(images)}};
  result.manifest_path = (fs::path(request.out_dir) / "manifest.json").string();
  ENHANCER_RETURN_IF_ERROR(WriteFile(result.manifest_path, manifest.dump(2) + "\n"));
  return result;
}

}  // namespace enhancer
