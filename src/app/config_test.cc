#include "app/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace enhancer {
namespace {

TEST(ConfigTest, DefaultsAreTheEmbeddedOnes) {
  Result<Config> c = LoadConfig({});
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->enhanced_images_count, 3);
  EXPECT_EQ(c->visibility_timeout, 300);
  EXPECT_EQ(c->port, 5000);
  EXPECT_EQ(c->sqlite_path, "data/enhancer.db");
  EXPECT_EQ(c->gemini_model, "gemini-flash-latest");
  EXPECT_EQ(c->worker_concurrency,
            std::max(1, static_cast<int>(std::thread::hardware_concurrency())));
  EXPECT_TRUE(c->sqs_queue_url.empty());
}

TEST(ConfigTest, BadValuesNameTheVariableAndTheRange) {
  struct Case { std::string name, value, message; };
  for (const Case& c : {
           Case{"ENHANCED_IMAGES_COUNT", "0", "ENHANCED_IMAGES_COUNT must be an integer from 1 to 10, got \"0\""},
           Case{"ENHANCED_IMAGES_COUNT", "11", "ENHANCED_IMAGES_COUNT must be an integer from 1 to 10, got \"11\""},
           Case{"ENHANCED_IMAGES_COUNT", "abc", "ENHANCED_IMAGES_COUNT must be an integer from 1 to 10, got \"abc\""},
           Case{"ENHANCED_IMAGES_COUNT", "3.5", "from 1 to 10"},
           Case{"PORT", "70000", "PORT must be an integer from 0 to 65535"},
           Case{"VISIBILITY_TIMEOUT", "5", "VISIBILITY_TIMEOUT must be an integer from 10 to 43200"},
           Case{"WORKER_CONCURRENCY", "0", "WORKER_CONCURRENCY must be an integer from 1 to 64"},
           Case{"MAX_RECEIVE_COUNT", "-1", "MAX_RECEIVE_COUNT must be an integer from 1 to 1000"},
           Case{"JPEG_QUALITY", "101", "JPEG_QUALITY"},
           Case{"DATABASE_URL", "mysql://x", "DATABASE_URL must be postgres://"},
           Case{"THUMBNAIL_SIZE", "2000", "THUMBNAIL_SIZE (2000) must not exceed OUTPUT_SIZE (1600)"},
       }) {
    Result<Config> config = LoadConfig({{c.name, c.value}});
    ASSERT_FALSE(config.has_value()) << c.name << "=" << c.value;
    EXPECT_EQ(config.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(config.error().message().find(c.message), std::string::npos) << config.error().message();
    EXPECT_EQ(config.error().field(), c.name);
  }
}

TEST(ConfigTest, TheGeminiImageRendererNeedsAModelAndAKey) {
  Result<Config> plain = LoadConfig({});
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->renderer, "libvips");

  struct Case {
    Environment env;
    std::string field, message;
  };
  const Case cases[] = {
      {{{"RENDERER", "vips"}},
       "RENDERER",
       "RENDERER must be libvips or gemini-image, got \"vips\""},
      {{{"RENDERER", "gemini-image"}, {"GEMINI_API_KEY", "AIza-secret"}},
       "GEMINI_IMAGE_MODEL",
       "RENDERER=gemini-image needs GEMINI_IMAGE_MODEL, an image model such as "
       "gemini-2.5-flash-image"},
      {{{"RENDERER", "gemini-image"}, {"GEMINI_IMAGE_MODEL", "gemini-2.5-flash-image"}},
       "GEMINI_API_KEY",
       "RENDERER=gemini-image needs GEMINI_API_KEY"},
  };
  for (const Case& c : cases) {
    Result<Config> config = LoadConfig(c.env);
    ASSERT_FALSE(config.has_value()) << c.message;
    EXPECT_EQ(config.error().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(config.error().message(), c.message);
    EXPECT_EQ(config.error().field(), c.field);
    EXPECT_EQ(config.error().message().find("AIza-secret"), std::string::npos);
  }

  Result<Config> image = LoadConfig({{"RENDERER", "gemini-image"},
                                     {"GEMINI_IMAGE_MODEL", "gemini-2.5-flash-image"},
                                     {"GEMINI_API_KEY", "AIza-secret"}});
  ASSERT_TRUE(image.has_value()) << image.error().ToString();
  EXPECT_EQ(image->renderer, "gemini-image");
  EXPECT_EQ(image->gemini_image_model, "gemini-2.5-flash-image");
}

TEST(ConfigTest, PostgresUrlsAreKeptAsGiven) {
  Result<Config> c = LoadConfig({{"DATABASE_URL", "postgres://app:pw@db:5432/enhancer"}});
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_TRUE(c->sqlite_path.empty());
  EXPECT_EQ(c->database_url, "postgres://app:pw@db:5432/enhancer");
}

TEST(ConfigTest, ListeningBeyondLoopbackNeedsAToken) {
  Result<Config> open = LoadConfig({{"HOST", "0.0.0.0"}});
  ASSERT_FALSE(open.has_value());
  EXPECT_EQ(open.error().field(), "API_TOKEN");
  Result<Config> guarded = LoadConfig({{"HOST", "0.0.0.0"}, {"API_TOKEN", "s3cret"}});
  ASSERT_TRUE(guarded.has_value());
  EXPECT_EQ(guarded->api_token, "s3cret");
}

TEST(ConfigTest, WithARemotePlannerFourProductsPerCoreAreInFlightUnlessSet) {
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  Result<Config> remote = LoadConfig({{"GEMINI_API_KEY", "k"}});
  ASSERT_TRUE(remote.has_value()) << remote.error().ToString();
  EXPECT_EQ(remote->worker_concurrency, std::min(64, 4 * cores));
  Result<Config> set = LoadConfig({{"GEMINI_API_KEY", "k"}, {"WORKER_CONCURRENCY", "3"}});
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->worker_concurrency, 3);
}

TEST(ConfigTest, ShrinkOnLoadIsOnUnlessTurnedOff) {
  EXPECT_TRUE(LoadConfig({})->shrink_on_load);
  EXPECT_FALSE(LoadConfig({{"SHRINK_ON_LOAD", "false"}})->shrink_on_load);
  Result<Config> bad = LoadConfig({{"SHRINK_ON_LOAD", "maybe"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("SHRINK_ON_LOAD must be true or false"), std::string::npos);
}

TEST(ConfigTest, ReadsValuesAndLists) {
  Result<Config> c = LoadConfig({{"ENHANCED_IMAGES_COUNT", " 5 "},
                                 {"DATABASE_URL", "sqlite:///tmp/x.db"},
                                 {"FETCH_ALLOWED_NETWORKS", "127.0.0.0/8, ::1/128,"},
                                 {"WORKER_CONCURRENCY", "4"}});
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->enhanced_images_count, 5);
  EXPECT_EQ(c->sqlite_path, "/tmp/x.db");
  EXPECT_EQ(c->worker_concurrency, 4);
  EXPECT_EQ(c->fetch_allowed_networks, (std::vector<std::string>{"127.0.0.0/8", "::1/128"}));
}

TEST(ConfigTest, CloudSettingsAreReadAndSecretsNeverEchoed) {
  Result<Config> c = LoadConfig({{"SQS_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/1/q"},
                                 {"S3_BUCKET", "shop-images"}, {"S3_PREFIX", "enhancer/"},
                                 {"S3_FORCE_PATH_STYLE", "true"}, {"GEMINI_API_KEY", "AIza-secret"},
                                 {"GEMINI_MODEL", "gemini-2.5-flash"}});
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->s3_bucket, "shop-images");
  EXPECT_TRUE(c->s3_force_path_style);
  EXPECT_EQ(c->gemini_model, "gemini-2.5-flash");
  EXPECT_EQ(c->env.at("GEMINI_API_KEY"), "AIza-secret");

  Result<Config> bad = LoadConfig({{"SQS_QUEUE_URL", "my-queue"}, {"GEMINI_API_KEY", "AIza-secret"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field(), "SQS_QUEUE_URL");
  EXPECT_EQ(bad.error().message().find("AIza-secret"), std::string::npos) << "secrets are never echoed";
  Result<Config> style = LoadConfig({{"S3_FORCE_PATH_STYLE", "maybe"}});
  ASSERT_FALSE(style.has_value());
  EXPECT_EQ(style.error().field(), "S3_FORCE_PATH_STYLE");
}

TEST(ConfigTest, DotEnvFillsWhatTheEnvironmentDoesNotSet) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "enhancer_config_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream env(dir / ".env");
    env << "# comment\nENHANCED_IMAGES_COUNT=7\nexport MEDIA_DIR=\"/srv/media\"\n"
           "PORT=6000 # inline\nENHANCER_TEST_ONLY_FROM_ENV=from-file\n";
  }
  setenv("ENHANCER_TEST_ONLY_FROM_ENV", "from-env", 1);
  Result<Environment> env = ReadEnvironment(dir.string());
  ASSERT_TRUE(env.has_value());
  EXPECT_EQ(env->at("ENHANCED_IMAGES_COUNT"), "7");
  EXPECT_EQ(env->at("MEDIA_DIR"), "/srv/media");
  EXPECT_EQ(env->at("PORT"), "6000");
  EXPECT_EQ(env->at("ENHANCER_TEST_ONLY_FROM_ENV"), "from-env");

  {
    std::ofstream bad(dir / ".env");
    bad << "OK=1\nthis line is wrong\n";
  }
  Result<Environment> broken = ReadEnvironment(dir.string());
  ASSERT_FALSE(broken.has_value());
  EXPECT_NE(broken.error().message().find(".env line 2"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace enhancer
