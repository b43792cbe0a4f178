// The deployment directory: deployment.toml plus centres/*.toml, read by the
// same loader as a one-centre file, every error named by file and line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include "config/settings.hpp"
#include "support.hpp"

namespace luot::config {
namespace {

using ::testing::HasSubstr;

const std::string centre_a = R"([centre]
id = "a"
name = "Trung tâm A"

[[categories]]
code = "A"
name_vi = "Hộ tịch"
format = { prefix = "A", width = 3 }

[[counters]]
id = "1"
categories = ["A"]

[[counters]]
id = "2"
categories = ["A"]
)";

const std::string centre_b = R"([centre]
id = "b"
name = "Trung tâm B"

[[categories]]
code = "A"
name_vi = "Chứng thực"
format = { prefix = "A", width = 3 }

[[counters]]
id = "9"
categories = ["A"]
)";

const std::string hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";

// A valid deployment.toml; each broken case changes one thing in it.
std::string deployment_text(const std::string& lan_centres = R"(["a"])",
                            const std::string& kiosk_centre = R"("b")",
                            const std::string& kiosk_counters = "[]") {
  return "[server]\nport = 0\ndatabase = \"luot.db\"\n\n"
         "[[staff]]\nusername = \"lan\"\ndisplay_name = \"Lan\"\npassword_hash = \"" +
         hash + "\"\ncentres = " + lan_centres +
         "\ncounters = [\"1\"]\n\n"
         "[[staff]]\nusername = \"hoa\"\ndisplay_name = \"Hoa\"\npassword_hash = \"" +
         hash +
         "\"\nrole = \"manager\"\ncentres = [\"a\", \"b\"]\n\n"
         "[[devices]]\nid = \"kiosk-b\"\nkind = \"kiosk\"\ntoken = \"kiosk-b-token-0123456789\"\n"
         "centre = " +
         kiosk_centre + "\ncounters = " + kiosk_counters + "\n";
}

deployment parse_two(const std::string& text = deployment_text(), const std::string& a = centre_a,
                     const std::string& b = centre_b) {
  return parse_deployment(text, "prov/deployment.toml",
                          {{"prov/centres/a.toml", a}, {"prov/centres/b.toml", b}});
}

// The message of the config_error `read` throws.
template <typename Read>
std::string error_of(Read read) {
  try {
    read();
  } catch (const config_error& failure) {
    return failure.what();
  }
  ADD_FAILURE() << "no config_error";
  return {};
}

TEST(CentresConfig, ReadsTheProvinceExample) {
  const auto province = load_deployment(LUOT_PROVINCE_CONFIG);
  EXPECT_TRUE(province.directory);
  ASSERT_EQ(province.centres.size(), 2u);
  EXPECT_EQ(province.centres[0].id, "hcc");
  EXPECT_EQ(province.centres[1].id, "xa-an-binh");
  EXPECT_EQ(province.centres[1].centre.name, "Bộ phận Một cửa UBND xã An Bình");
  EXPECT_EQ(province.centres[1].centre.priority.style, core::priority_policy::kind::strict);
  EXPECT_EQ(province.server.database, "luot-province.db");
  ASSERT_EQ(province.staff.size(), 4u);
  EXPECT_EQ(province.staff[2].centres, (std::vector<std::string>{"hcc", "xa-an-binh"}));
  EXPECT_EQ(province.staff[3].staff_role, role::manager);
  ASSERT_EQ(province.devices.size(), 3u);
  EXPECT_EQ(province.devices[2].centre, "xa-an-binh");
}

TEST(CentresConfig, AFileIsADeploymentOfOneCentre) {
  const auto demo = load_deployment(LUOT_DEMO_CONFIG);
  EXPECT_FALSE(demo.directory);
  ASSERT_EQ(demo.centres.size(), 1u);
  EXPECT_EQ(demo.centres[0].id, settings::default_centre_id);
  EXPECT_EQ(demo.centres[0].centre.categories.size(), 6u);
  EXPECT_EQ(demo.staff.size(), 6u);
  EXPECT_TRUE(demo.staff[0].centres.empty());
}

TEST(CentresConfig, CentresAreSortedAndBindingsRead) {
  const auto both = parse_two();
  ASSERT_EQ(both.centres.size(), 2u);
  EXPECT_EQ(both.centres[0].id, "a");
  EXPECT_EQ(both.centres[0].source, "prov/centres/a.toml");
  EXPECT_EQ(both.centres[1].centre.counters[0].id, "9");
  EXPECT_EQ(both.staff[0].centres, (std::vector<std::string>{"a"}));
  EXPECT_EQ(both.devices[0].centre, "b");
}

TEST(CentresConfig, ACentreWithoutIdTakesItsFileName) {
  std::string no_id = centre_b;
  no_id.erase(no_id.find("id = \"b\"\n"), 9);
  const auto both = parse_deployment(deployment_text(), "d.toml",
                                     {{"centres/a.toml", centre_a}, {"centres/b.toml", no_id}});
  EXPECT_EQ(both.centres[1].id, "b");
}

TEST(CentresConfig, UnknownCentreInABindingIsNamedWithItsLine) {
  EXPECT_THAT(error_of([] { parse_two(deployment_text(R"(["a", "c"])")); }),
              HasSubstr("prov/deployment.toml:9:"));
  EXPECT_THAT(error_of([] { parse_two(deployment_text(R"(["a", "c"])")); }),
              HasSubstr("\"staff[0].centres\" names unknown centre \"c\" (centres: a, b)"));
  EXPECT_THAT(error_of([] { parse_two(deployment_text(R"(["a"])", R"("z")")); }),
              HasSubstr("\"devices[0].centre\" names unknown centre \"z\""));
}

TEST(CentresConfig, BindingsAreRequired) {
  std::string text = deployment_text();
  text.erase(text.find("centres = [\"a\"]\n"), 16);
  EXPECT_THAT(error_of([&] { parse_two(text); }),
              HasSubstr("\"staff[0].centres\" must list the centres"));
  text = deployment_text();
  text.erase(text.find("centre = \"b\"\n"), 13);
  EXPECT_THAT(error_of([&] { parse_two(text); }), HasSubstr("missing key \"devices[0].centre\""));
}

TEST(CentresConfig, ACounterOfAnotherCentreIsRefused) {
  // Counter 1 is centre a's; the kiosk belongs to b.
  EXPECT_THAT(error_of([] { parse_two(deployment_text(R"(["a"])", R"("b")", R"(["1"])")); }),
              HasSubstr("prov/deployment.toml:24:"));
  EXPECT_THAT(error_of([] { parse_two(deployment_text(R"(["a"])", R"("b")", R"(["1"])")); }),
              HasSubstr("\"devices[0].counters\" names counter \"1\", which centre \"b\" does not "
                        "have"));
  // Lan works at b only, and counter 1 is a's.
  EXPECT_THAT(error_of([] { parse_two(deployment_text(R"(["b"])")); }),
              HasSubstr("\"staff[0].counters\" names counter \"1\", which centre \"b\" does not "
                        "have"));
}

TEST(CentresConfig, ADuplicateCentreIdNamesBothFiles) {
  std::string also_a = centre_b;
  also_a.replace(also_a.find("id = \"b\""), 8, "id = \"a\"");
  const auto message = error_of([&] { parse_two(deployment_text(), centre_a, also_a); });
  EXPECT_THAT(message, HasSubstr("prov/centres/b.toml:2:6: centre id \"a\" is used twice (also by "
                                 "prov/centres/a.toml:2:6)"));
}

TEST(CentresConfig, ABrokenCentreFileIsNamedWithItsLine) {
  std::string broken = centre_b;
  broken.replace(broken.find("categories = [\"A\"]"), 18, "categories = [\"X\"]");
  EXPECT_THAT(error_of([&] { parse_two(deployment_text(), centre_a, broken); }),
              HasSubstr("prov/centres/b.toml:12:"));
  EXPECT_THAT(error_of([&] { parse_two(deployment_text(), centre_a, broken); }),
              HasSubstr("names unknown category \"X\""));
  EXPECT_THAT(error_of([&] { parse_two(deployment_text(), centre_a, centre_b + "[[counters]\n"); }),
              HasSubstr("prov/centres/b.toml:13:"));
}

TEST(CentresConfig, SectionsBelongInTheirFile) {
  EXPECT_THAT(error_of([] { parse_two(deployment_text(), centre_a + "\n[server]\nport = 1\n"); }),
              HasSubstr("prov/centres/a.toml:18:1: \"server\" belongs in deployment.toml"));
  EXPECT_THAT(error_of([] { parse_two(deployment_text() + "\n[centre]\nname = \"x\"\n"); }),
              HasSubstr("\"centre\" belongs in a centre file"));
}

// A directory on disk: what luot-server --config DIR reads.
class CentresDirectory : public ::testing::Test {
 protected:
  void write(const std::string& name, const std::string& text) {
    std::filesystem::create_directories((dir_.path() / name).parent_path());
    std::ofstream(dir_.path() / name) << text;
  }
  testing::temp_dir dir_;
};

TEST_F(CentresDirectory, ReadsEveryCentreFile) {
  write("deployment.toml", deployment_text());
  write("centres/a.toml", centre_a);
  write("centres/b.toml", centre_b);
  write("centres/README.txt", "not a centre");
  const auto loaded = load_deployment(dir_.path());
  ASSERT_EQ(loaded.centres.size(), 2u);
  EXPECT_EQ(loaded.centres[1].source, dir_.path() / "centres" / "b.toml");
}

TEST_F(CentresDirectory, ABrokenCentreFileStopsTheLoad) {
  write("deployment.toml", deployment_text());
  write("centres/a.toml", centre_a);
  write("centres/b.toml", "[centre]\nid = \"b\"\nname = 3\n");
  const auto message = error_of([&] { load_deployment(dir_.path()); });
  EXPECT_THAT(message, HasSubstr((dir_.path() / "centres" / "b.toml").string() + ":3:"));
  EXPECT_THAT(message, HasSubstr("\"centre.name\" must be a string"));
}

TEST_F(CentresDirectory, MissingPartsAreNamed) {
  EXPECT_THAT(error_of([&] { load_deployment(dir_.path()); }),
              HasSubstr("deployment.toml: cannot open the deployment file"));
  write("deployment.toml", deployment_text());
  EXPECT_THAT(error_of([&] { load_deployment(dir_.path()); }), HasSubstr("centres: missing"));
  std::filesystem::create_directories(dir_.path() / "centres");
  EXPECT_THAT(error_of([&] { load_deployment(dir_.path()); }), HasSubstr("no centre files"));
}

// What `luot-server --config DIR` prints and returns.
struct program_output {
  int status = -1;
  std::string text;
};
program_output run_server(const std::filesystem::path& directory, const std::string& extra = {}) {
  const std::string command = std::string(LUOT_SERVER_BINARY) + " --config '" + directory.string() +
                              "' --port 0 " + extra + " 2>&1";
  program_output out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 512> chunk{};
  while (fgets(chunk.data(), static_cast<int>(chunk.size()), pipe) != nullptr)
    out.text += chunk.data();
  out.status = pclose(pipe);
  return out;
}

TEST_F(CentresDirectory, TheServerRefusesToStartWithABrokenCentre) {
  write("deployment.toml", deployment_text());
  write("centres/a.toml", centre_a);
  std::string broken = centre_b;
  broken.replace(broken.find("categories = [\"A\"]"), 18, "categories = [\"X\"]");
  write("centres/b.toml", broken);
  const auto ran = run_server(dir_.path());
  EXPECT_NE(ran.status, 0);
  EXPECT_THAT(ran.text, HasSubstr((dir_.path() / "centres" / "b.toml").string() +
                                  ":12:14: \"counters[0].categories\" names unknown category "
                                  "\"X\""));
}

TEST_F(CentresDirectory, ACentreWhoseLogCannotOpenStopsTheStartNamingIt) {
  write("deployment.toml", deployment_text());
  write("centres/a.toml", centre_a);
  write("centres/b.toml", centre_b);
  const auto missing = dir_.path() / "no-such-directory" / "luot.db";
  const auto ran = run_server(dir_.path(), "--database '" + missing.string() + "'");
  EXPECT_NE(ran.status, 0);
  EXPECT_THAT(ran.text, HasSubstr("centre \"a\": event store '" +
                                  (dir_.path() / "no-such-directory" / "luot.a.db").string()));
}

}  // namespace
}  // namespace luot::config
