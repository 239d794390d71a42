#include "app/photo_job.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/sha256.h"

namespace enhancer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kManifest[] = "manifest.json";

// File names may hold bytes that are not UTF-8; the manifest must still be written.
std::string Dump(const json& value, int indent = -1) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

struct InputStat {
  int64_t size = 0;
  int64_t mtime_ns = 0;
};

Result<InputStat> StatInput(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return NotFoundError("no such file: " + path);
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) return NotFoundError("cannot read " + path + ": " + ec.message());
  const fs::file_time_type mtime = fs::last_write_time(path, ec);
  if (ec) return NotFoundError("cannot read " + path + ": " + ec.message());
  return InputStat{static_cast<int64_t>(size),
                   std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch())
                       .count()};
}

Result<std::string> ReadInput(const std::string& path, const InputStat& stat, int64_t max_bytes) {
  // Checked before reading: a 4 GB file named .jpg should not be pulled into memory to learn
  // that the renderer refuses it.
  if (stat.size > max_bytes) {
    return InvalidArgumentError("photo is " + std::to_string(stat.size) +
                                " bytes, more than the limit of " + std::to_string(max_bytes) +
                                " (MAX_IMAGE_BYTES)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open " + path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return InternalError("cannot read " + path);
  return bytes.str();
}

Status WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return InternalError("cannot write " + path.string());
  return OkStatus();
}

// The manifest is the folder's commit record, so it appears whole or not at all.
Status WriteFileAtomically(const fs::path& path, std::string_view bytes) {
  fs::path temporary = path;
  temporary += ".tmp";
  ENHANCER_RETURN_IF_ERROR(WriteFile(temporary, bytes));
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) return InternalError("cannot write " + path.string() + ": " + ec.message());
  return OkStatus();
}

json ImageJson(const WrittenImage& image) {
  return {{"file", image.file},
          {"thumbnail", image.thumbnail},
          {"name", image.name},
          {"prompt", image.prompt},
          {"recipe", json::parse(image.recipe_json)},
          {"width", image.width},
          {"height", image.height},
          {"bytes", image.bytes},
          {"thumbnail_width", image.thumbnail_width},
          {"thumbnail_height", image.thumbnail_height}};
}

// Throws json::exception on a manifest of another shape; the caller treats that as stale.
WrittenImage ImageFromJson(const json& image) {
  WrittenImage out;
  out.file = image.at("file").get<std::string>();
  out.thumbnail = image.at("thumbnail").get<std::string>();
  out.name = image.at("name").get<std::string>();
  out.prompt = image.value("prompt", "");
  out.recipe_json = Dump(image.at("recipe"));
  out.width = image.value("width", 0);
  out.height = image.value("height", 0);
  out.bytes = image.value("bytes", int64_t{0});
  out.thumbnail_width = image.value("thumbnail_width", 0);
  out.thumbnail_height = image.value("thumbnail_height", 0);
  return out;
}

WrittenImage Describe(const Recipe& recipe, const RenderedImage& rendered, std::string file,
                      std::string thumbnail) {
  return {recipe.name,
          recipe.prompt,
          ToJson(recipe),
          std::move(file),
          std::move(thumbnail),
          rendered.image.width,
          rendered.image.height,
          static_cast<int64_t>(rendered.image.jpeg.size()),
          rendered.thumbnail.width,
          rendered.thumbnail.height};
}

// Every file the manifest lists, manifest last, relative to the photo's folder.
std::vector<std::string> ListedFiles(const PhotoResult& result) {
  std::vector<std::string> files;
  if (result.original) {
    files.push_back(result.original->file);
    files.push_back(result.original->thumbnail);
  }
  for (const WrittenImage& image : result.images) {
    files.push_back(image.file);
    files.push_back(image.thumbnail);
  }
  files.push_back(kManifest);
  return files;
}

void SetOutputs(const std::string& output_dir, PhotoResult& result) {
  result.outputs.clear();
  for (const std::string& file : ListedFiles(result)) result.outputs.push_back(output_dir + "/" + file);
}

std::optional<json> ReadManifest(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  json manifest = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object()) return std::nullopt;
  return manifest;
}

// The results the manifest describes, if they were made from this very input with these
// settings and are all still there. The input's hash is compared by the caller, who reads it.
std::optional<PhotoResult> CurrentResults(const json& manifest, const fs::path& folder,
                                          const InputStat& stat, const std::string& fingerprint) {
  try {
    const json& stamp = manifest.at("stamp");
    if (Dump(stamp.at("settings")) != Dump(json::parse(fingerprint))) return std::nullopt;
    const json& input = stamp.at("input");
    if (input.at("size").get<int64_t>() != stat.size ||
        input.at("mtime_ns").get<int64_t>() != stat.mtime_ns) {
      return std::nullopt;
    }
    PhotoResult result;
    result.outcome = PhotoOutcome::kSkipped;
    result.original = ImageFromJson(manifest.at("original"));
    for (const json& image : manifest.at("images")) result.images.push_back(ImageFromJson(image));
    result.planner = manifest.value("planner", "");
    result.note = manifest.value("note", "");
    std::error_code ec;
    for (const std::string& file : ListedFiles(result)) {
      if (!fs::is_regular_file(folder / file, ec)) return std::nullopt;
    }
    return result;
  } catch (const json::exception&) {
    return std::nullopt;  // another program's or an older layout's manifest: redo
  }
}

std::set<std::string> FilesOf(const std::optional<json>& manifest) {
  std::set<std::string> files;
  if (!manifest) return files;
  try {
    auto add = [&files](const json& image) {
      for (const char* key : {"file", "thumbnail"}) {
        if (image.contains(key) && image[key].is_string()) files.insert(image[key].get<std::string>());
      }
    };
    if (manifest->contains("original")) add(manifest->at("original"));
    if (manifest->contains("images")) {
      for (const json& image : manifest->at("images")) add(image);
    }
  } catch (const json::exception&) {
  }
  return files;
}

PhotoResult Fail(Status status) {
  PhotoResult result;
  result.outcome = PhotoOutcome::kFailed;
  result.error = std::move(status);
  return result;
}

PhotoResult Run(const PhotoEnhancer& enhancer, const PhotoEnhancer& reference,
                const PhotoInput& photo, const std::string& out_dir,
                const PhotoJobSettings& settings, std::stop_token stop) {
  const fs::path folder = fs::path(out_dir) / photo.output_dir;
  const std::string name = fs::path(photo.output_dir).filename().string();
  const fs::path manifest_path = folder / kManifest;

  Result<InputStat> stat = StatInput(photo.path);
  if (!stat) return Fail(stat.error());
  const std::optional<json> old_manifest = ReadManifest(manifest_path);
  std::optional<PhotoResult> current;
  if (old_manifest && !settings.force) {
    current = CurrentResults(*old_manifest, folder, *stat, settings.fingerprint);
  }

  Result<std::string> bytes = ReadInput(photo.path, *stat, settings.max_bytes);
  if (!bytes) return Fail(bytes.error());
  const std::string sha256 = Sha256Hex(*bytes);
  if (current && old_manifest->at("stamp").at("input").value("sha256", "") == sha256) {
    SetOutputs(photo.output_dir, *current);
    return *std::move(current);
  }

  EnhanceRequest request{"", "", settings.count, settings.recipes};
  Result<EnhancedPhoto> enhanced = enhancer.Enhance(*bytes, request, stop);
  if (!enhanced) return Fail(enhanced.error());
  // The "before" of every comparison: the identity recipe through the same fit and padding.
  Recipe identity;
  identity.name = "original";
  identity.prompt = "The photo as it came, fitted to the same canvas; no adjustment.";
  Result<EnhancedPhoto> original =
      reference.Enhance(*bytes, {"", "", 1, std::vector<Recipe>{identity}}, stop);
  if (!original) return Fail(original.error().WithContext("rendering the original"));

  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return Fail(InternalError("cannot create " + folder.string() + ": " + ec.message()));
  // From here until the new manifest is in place the folder is incomplete: without a manifest
  // a crash leaves it to be redone rather than trusted.
  fs::remove(manifest_path, ec);

  PhotoResult result;
  result.outcome = PhotoOutcome::kEnhanced;
  result.planner = enhanced->planner;
  result.note = enhanced->note;
  auto write = [&](const EnhancedImage& image, const std::string& base) -> Status {
    const std::string file = base + ".jpg", thumbnail = base + "_thumb.jpg";
    ENHANCER_RETURN_IF_ERROR(WriteFile(folder / file, image.rendered.image.jpeg));
    ENHANCER_RETURN_IF_ERROR(WriteFile(folder / thumbnail, image.rendered.thumbnail.jpeg));
    WrittenImage written = Describe(image.recipe, image.rendered, file, thumbnail);
    if (!result.original) {
      result.original = std::move(written);
    } else {
      result.images.push_back(std::move(written));
    }
    return OkStatus();
  };
  const EnhancedImage& identity_image = original->images.front();
  Status status = write(identity_image, name + "_0-" + identity_image.recipe.name);
  int index = 0;
  for (const EnhancedImage& image : enhanced->images) {
    if (!status.ok()) break;
    ++index;
    status = write(image, name + "_" + std::to_string(index) + "-" + image.recipe.name);
  }
  if (!status.ok()) return Fail(status);

  json images = json::array();
  for (const WrittenImage& image : result.images) images.push_back(ImageJson(image));
  json manifest = {
      {"source", photo.relative},
      {"source_width", enhanced->source_width},
      {"source_height", enhanced->source_height},
      {"planner", enhanced->planner},
      {"note", enhanced->note},
      {"original", ImageJson(*result.original)},
      {"images", std::move(images)},
      {"stamp",
       {{"input", {{"size", stat->size}, {"mtime_ns", stat->mtime_ns}, {"sha256", sha256}}},
        {"settings", json::parse(settings.fingerprint)}}}};
  status = WriteFileAtomically(manifest_path, Dump(manifest, 2) + "\n");
  if (!status.ok()) return Fail(status);

  // A run with fewer images or other variant names than the last one leaves no stale files.
  const std::vector<std::string> listed = ListedFiles(result);
  const std::set<std::string> keep(listed.begin(), listed.end());
  for (const std::string& old : FilesOf(old_manifest)) {
    if (!keep.contains(old) && fs::path(old).filename() == fs::path(old)) fs::remove(folder / old, ec);
  }
  SetOutputs(photo.output_dir, result);
  return result;
}

}  // namespace

std::string_view PhotoOutcomeName(PhotoOutcome outcome) {
  switch (outcome) {
    case PhotoOutcome::kEnhanced:
      return "ok";
    case PhotoOutcome::kSkipped:
      return "skipped";
    case PhotoOutcome::kFailed:
      return "failed";
  }
  return "failed";
}

PhotoResult RunPhotoJob(const PhotoEnhancer& enhancer, const PhotoEnhancer& reference,
                        const PhotoInput& photo, const std::string& out_dir,
                        const PhotoJobSettings& settings, std::stop_token stop) {
  const auto start = std::chrono::steady_clock::now();
  PhotoResult result;
  try {
    result = Run(enhancer, reference, photo, out_dir, settings, stop);
  } catch (const std::exception& e) {
    // A filesystem or allocation failure must not take the other photos down with it.
    result = Fail(InternalError(std::string("unexpected error: ") + e.what()));
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  return result;
}

}  // namespace enhancer
