#include "test_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <cstdio>
#include <stdexcept>

namespace luot::testing {

namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

EVP_PKEY* new_key() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  check(key != nullptr, "EVP_EC_gen");
  return key;
}

void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  check(extension != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
}

// A certificate for `key`, valid from an hour ago for a day.
X509* new_certificate(EVP_PKEY* key, const std::string& common_name, long serial) {
  X509* certificate = X509_new();
  check(certificate != nullptr, "X509_new");
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), serial);
  X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 24 * 3600);
  X509_set_pubkey(certificate, key);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Luot test"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  return certificate;
}

void write_certificate(const std::filesystem::path& file, X509* certificate) {
  FILE* out = std::fopen(file.c_str(), "w");
  check(out != nullptr, "fopen");
  const bool ok = PEM_write_X509(out, certificate) == 1;
  std::fclose(out);
  check(ok, "PEM_write_X509");
}

void write_key(const std::filesystem::path& file, EVP_PKEY* key) {
  FILE* out = std::fopen(file.c_str(), "w");
  check(out != nullptr, "fopen");
  const bool ok = PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(out);
  check(ok, "PEM_write_PrivateKey");
}

bool is_address(const std::string& name) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(name, ec);
  return !ec;
}

}  // namespace

struct test_pki::keys {
  EVP_PKEY* ca_key = nullptr;
  X509* ca = nullptr;
  long next_serial = 2;
};

test_pki::test_pki(std::filesystem::path directory)
    : directory_(std::move(directory)), ca_certificate_(directory_ / "ca.crt"), keys_(new keys) {
  keys_->ca_key = new_key();
  keys_->ca = new_certificate(keys_->ca_key, "Luot test CA", 1);
  X509_set_issuer_name(keys_->ca, X509_get_subject_name(keys_->ca));
  add_extension(keys_->ca, keys_->ca, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(keys_->ca, keys_->ca, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(keys_->ca, keys_->ca, NID_subject_key_identifier, "hash");
  check(X509_sign(keys_->ca, keys_->ca_key, EVP_sha256()) > 0, "X509_sign (CA)");
  write_certificate(ca_certificate_, keys_->ca);
}

test_pki::~test_pki() {
  X509_free(keys_->ca);
  EVP_PKEY_free(keys_->ca_key);
  delete keys_;
}

server_credentials test_pki::issue(const std::string& stem, const std::vector<std::string>& names) {
  EVP_PKEY* key = new_key();
  X509* certificate =
      new_certificate(key, names.empty() ? stem : names.front(), keys_->next_serial++);
  X509_set_issuer_name(certificate, X509_get_subject_name(keys_->ca));
  std::string alternative;
  for (const auto& name : names) {
    if (!alternative.empty()) alternative += ",";
    alternative += (is_address(name) ? "IP:" : "DNS:") + name;
  }
  add_extension(certificate, keys_->ca, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(certificate, keys_->ca, NID_key_usage, "critical,digitalSignature");
  add_extension(certificate, keys_->ca, NID_ext_key_usage, "serverAuth");
  add_extension(certificate, keys_->ca, NID_authority_key_identifier, "keyid");
  if (!alternative.empty()) {
    add_extension(certificate, keys_->ca, NID_subject_alt_name, alternative);
  }
  check(X509_sign(certificate, keys_->ca_key, EVP_sha256()) > 0, "X509_sign (server)");
  server_credentials made{directory_ / (stem + ".crt"), directory_ / (stem + ".key")};
  write_certificate(made.certificate, certificate);
  write_key(made.private_key, key);
  X509_free(certificate);
  EVP_PKEY_free(key);
  return made;
}

}  // namespace luot::testing
