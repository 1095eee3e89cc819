// The HTTPS listener's secrets: the bearer token (random, hex, 0600, kept) and its constant-time
// check, and the cluster CA and server certificate (made once, 0600 keys in a 0700 directory,
// naming the listener's address, reused, reissued for another address by the same CA).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "apiserver/transport/api_token.hpp"
#include "apiserver/transport/private_file.hpp"
#include "apiserver/transport/tls_identity.hpp"
#include "tests/unit/support/store_temp_dir.hpp"

using kinda::apiserver::bearer_matches;
using kinda::apiserver::load_or_create_token;
using kinda::apiserver::read_file;

namespace {

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

struct X509Holder {
  X509* cert = nullptr;
  explicit X509Holder(const std::filesystem::path& file) {
    auto text = kinda::apiserver::read_file(file);
    REQUIRE(text);
    BIO* bio = BIO_new_mem_buf(text->data(), static_cast<int>(text->size()));
    cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    REQUIRE(cert);
  }
  ~X509Holder() { X509_free(cert); }
};

}  // namespace

TEST_CASE("the API token is 32 random bytes in hex, kept in a 0600 file", "[api_tls]") {
  kinda::storage::testing::TempDir dir;
  auto file = dir.path() / "token";
  auto token = kinda::apiserver::load_or_create_token(file);
  REQUIRE(token);
  CHECK(token->size() == 64);
  CHECK(token->find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(mode_of(file) == 0600);
  auto again = kinda::apiserver::load_or_create_token(file);
  REQUIRE(again);
  CHECK(*again == *token);

  kinda::storage::testing::TempDir other;
  auto different = kinda::apiserver::load_or_create_token(other.path() / "token");
  REQUIRE(different);
  CHECK(*different != *token);

  REQUIRE(kinda::apiserver::write_private_file(file, "not a token\n"));
  CHECK_FALSE(kinda::apiserver::load_or_create_token(file));
}

TEST_CASE("a bearer token must match exactly", "[api_tls]") {
  const std::string token(64, 'a');
  CHECK(kinda::apiserver::bearer_matches("Bearer " + token, token));
  CHECK(kinda::apiserver::bearer_matches("bearer " + token, token));
  CHECK(kinda::apiserver::bearer_matches("BEARER  " + token + " ", token));
  CHECK_FALSE(kinda::apiserver::bearer_matches("", token));
  CHECK_FALSE(kinda::apiserver::bearer_matches("Bearer", token));
  CHECK_FALSE(kinda::apiserver::bearer_matches("Bearer ", token));
  CHECK_FALSE(kinda::apiserver::bearer_matches(token, token));
  CHECK_FALSE(kinda::apiserver::bearer_matches("Basic " + token, token));
  CHECK_FALSE(kinda::apiserver::bearer_matches("Bearer " + token.substr(1), token));
  CHECK_FALSE(kinda::apiserver::bearer_matches("Bearer " + token + "a", token));
  CHECK_FALSE(kinda::apiserver::bearer_matches("Bearer " + std::string(63, 'a') + "b", token));
  CHECK_FALSE(kinda::apiserver::bearer_matches("Bearer ", ""));
}

TEST_CASE("the cluster CA and server certificate are made once and kept", "[api_tls]") {
  kinda::storage::testing::TempDir home;
  kinda::storage::ClusterPaths paths{"tlstest", home.path() / "tlstest"};
  REQUIRE(kinda::apiserver::ensure_tls_identity(paths, "127.0.0.1"));
  CHECK(mode_of(paths.pki()) == 0700);
  for (const auto& f : {paths.ca_key(), paths.server_key(), paths.ca_cert(), paths.server_cert()})
    CHECK(mode_of(f) == 0600);

  X509Holder ca(paths.ca_cert());
  X509Holder server(paths.server_cert());
  CHECK(X509_check_ca(ca.cert) == 1);
  CHECK(X509_check_ca(server.cert) == 0);
  EVP_PKEY* ca_key = X509_get0_pubkey(ca.cert);
  CHECK(X509_verify(server.cert, ca_key) == 1);
  CHECK(X509_check_ip_asc(server.cert, "127.0.0.1", 0) == 1);
  CHECK(X509_check_ip_asc(server.cert, "::1", 0) == 1);
  CHECK(X509_check_host(server.cert, "localhost", 0, 0, nullptr) == 1);
  CHECK(X509_check_ip_asc(server.cert, "127.0.0.2", 0) != 1);
  CHECK(EVP_PKEY_get_base_id(X509_get0_pubkey(server.cert)) == EVP_PKEY_EC);
  // Valid for years, from before now (a client's clock may lag a little).
  time_t in_five_years = std::time(nullptr) + 5L * 365 * 24 * 3600;
  CHECK(X509_cmp_time(X509_get0_notAfter(server.cert), &in_five_years) > 0);
  CHECK(X509_cmp_current_time(X509_get0_notBefore(server.cert)) < 0);

  const auto ca_pem = *kinda::apiserver::read_file(paths.ca_cert());
  const auto server_pem = *kinda::apiserver::read_file(paths.server_cert());
  const auto server_key = *kinda::apiserver::read_file(paths.server_key());
  REQUIRE(kinda::apiserver::ensure_tls_identity(paths, "127.0.0.1"));
  CHECK(*kinda::apiserver::read_file(paths.ca_cert()) == ca_pem);
  CHECK(*kinda::apiserver::read_file(paths.server_cert()) == server_pem);
  CHECK(*kinda::apiserver::read_file(paths.server_key()) == server_key);

  // Another address: the same CA issues a server certificate that names it.
  REQUIRE(kinda::apiserver::ensure_tls_identity(paths, "127.0.0.9"));
  CHECK(*kinda::apiserver::read_file(paths.ca_cert()) == ca_pem);
  CHECK(*kinda::apiserver::read_file(paths.server_cert()) != server_pem);
  X509Holder reissued(paths.server_cert());
  CHECK(X509_check_ip_asc(reissued.cert, "127.0.0.9", 0) == 1);
  CHECK(X509_check_ip_asc(reissued.cert, "127.0.0.1", 0) == 1);
  CHECK(X509_verify(reissued.cert, ca_key) == 1);
}
