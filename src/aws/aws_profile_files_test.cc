#include "aws/aws_profile_files.h"

#include <gtest/gtest.h>

#include "aws/test_temp_dir.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

TEST(ParseAwsProfilesTest, ReadsCredentialsFileSections) {
  auto profiles = ParseAwsProfiles(
      "# comment\n"
      "[default]\n"
      "aws_access_key_id = AKIADEFAULT\n"
      "AWS_Secret_Access_Key=secret-default  \n"
      "; another comment\n"
      "\n"
      "[dev]\r\n"
      "aws_access_key_id=AKIADEV\r\n"
      "note = a # not a comment\n",
      AwsFileKind::kCredentials);
  ASSERT_EQ(profiles.size(), 2u);
  EXPECT_EQ(profiles["default"]["aws_access_key_id"], "AKIADEFAULT");
  EXPECT_EQ(profiles["default"]["aws_secret_access_key"], "secret-default");
  EXPECT_EQ(profiles["dev"]["aws_access_key_id"], "AKIADEV");
  EXPECT_EQ(profiles["dev"]["note"], "a # not a comment");
}

TEST(ParseAwsProfilesTest, ConfigFileUsesProfilePrefixAndSkipsOtherSections) {
  auto profiles = ParseAwsProfiles(
      "[default]\n"
      "region = eu-west-1\n"
      "s3 =\n"
      "  addressing_style = path\n"
      "  region = not-this\n"
      "output = json\n"
      "[profile dev]\n"
      "region=us-east-2\n"
      "[dev]\n"  // not a profile in the config file
      "region=ignored\n"
      "[sso-session corp]\n"
      "sso_region=ignored\n"
      "[profile   spaced  ]\n"
      "region=ap-south-1\n",
      AwsFileKind::kConfig);
  EXPECT_EQ(profiles.size(), 3u);
  EXPECT_EQ(profiles["default"]["region"], "eu-west-1");
  EXPECT_EQ(profiles["default"]["output"], "json");
  EXPECT_FALSE(profiles["default"].contains("addressing_style"));
  EXPECT_EQ(profiles["dev"]["region"], "us-east-2");
  EXPECT_EQ(profiles["spaced"]["region"], "ap-south-1");
}

TEST(AwsProfileFilesTest, PathsFollowVariablesThenHome) {
  EXPECT_EQ(SharedCredentialsFilePath({{"HOME", "/home/u"}}), "/home/u/.aws/credentials");
  EXPECT_EQ(SharedConfigFilePath({{"HOME", "/home/u"}}), "/home/u/.aws/config");
  EXPECT_EQ(
      SharedCredentialsFilePath({{"HOME", "/home/u"}, {"AWS_SHARED_CREDENTIALS_FILE", "~/c"}}),
      "/home/u/c");
  EXPECT_EQ(SharedConfigFilePath({{"AWS_CONFIG_FILE", "/etc/aws"}}), "/etc/aws");
  EXPECT_EQ(SharedConfigFilePath({}), "");
  EXPECT_EQ(SelectedProfileName({}), "default");
  EXPECT_EQ(SelectedProfileName({{"AWS_DEFAULT_PROFILE", "old"}}), "old");
  EXPECT_EQ(SelectedProfileName({{"AWS_PROFILE", "new"}, {"AWS_DEFAULT_PROFILE", "old"}}), "new");
}

TEST(AwsProfileFilesTest, CredentialsFileWinsOverConfigFile) {
  TestTempDir dir;
  dir.Write("home/.aws/config",
            "[profile p]\nregion = eu-west-1\naws_access_key_id = FROM_CONFIG\n");
  dir.Write("home/.aws/credentials", "[p]\naws_access_key_id = FROM_CREDENTIALS\n");
  ASSERT_OK_AND_ASSIGN(LoadedProfile p,
                       LoadAwsProfile({{"HOME", (dir.path() / "home").string()}}, "p"));
  EXPECT_TRUE(p.found);
  EXPECT_EQ(p.properties["aws_access_key_id"], "FROM_CREDENTIALS");
  EXPECT_EQ(p.properties["region"], "eu-west-1");
}

TEST(AwsProfileFilesTest, MissingFilesAreNotErrorsButUnreadableOnesAre) {
  TestTempDir dir;
  ASSERT_OK_AND_ASSIGN(LoadedProfile none, LoadAwsProfile({{"HOME", dir.path().string()}}, "p"));
  EXPECT_FALSE(none.found);
  ASSERT_EQ(none.files_searched.size(), 2u);
  EXPECT_TRUE(none.files_searched[0].ends_with("(missing)"));

  std::filesystem::create_directories(dir.path() / "a-directory");
  EXPECT_CODE(LoadAwsProfile({{"AWS_CONFIG_FILE", (dir.path() / "a-directory").string()}}, "p"),
              StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace enhancer
