#pragma once

// A throwaway certificate authority and server certificates, made with
// OpenSSL when a test runs and written to its temporary directory (no
// private key is ever committed).

#include <filesystem>
#include <string>
#include <vector>

namespace luot::testing {

struct server_credentials {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
};

class test_pki {
 public:
  // Creates the CA (its certificate is `ca_certificate()`) in `directory`.
  explicit test_pki(std::filesystem::path directory);
  ~test_pki();
  test_pki(const test_pki&) = delete;
  test_pki& operator=(const test_pki&) = delete;

  const std::filesystem::path& ca_certificate() const { return ca_certificate_; }
  // A server certificate signed by the CA for `names` (DNS names or IP
  // addresses, all in subjectAltName), written as `stem`.crt and `stem`.key.
  server_credentials issue(const std::string& stem, const std::vector<std::string>& names);

 private:
  struct keys;
  std::filesystem::path directory_;
  std::filesystem::path ca_certificate_;
  keys* keys_;
};

}  // namespace luot::testing
