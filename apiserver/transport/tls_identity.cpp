#include "apiserver/transport/tls_identity.hpp"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

#include "apiserver/transport/private_file.hpp"

namespace kinda::apiserver {
namespace {

constexpr long kValidDays = 3650;  // a local cluster's identity should outlive the cluster
constexpr int kRenewBeforeDays = 30;

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;

Key new_key() {
  return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

std::string to_pem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string to_pem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

Cert read_cert(const std::filesystem::path& file) {
  auto text = read_file(file);
  if (!text) return nullptr;
  Bio bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
  return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

Key read_key(const std::filesystem::path& file) {
  auto text = read_file(file);
  if (!text) return nullptr;
  Bio bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
  return Key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  const bool added = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return added;
}

// A certificate for `subject_key`, signed by `issuer_key` (itself when issuer is null: the CA).
Cert issue(const std::string& common_name, EVP_PKEY* subject_key, X509* issuer,
           EVP_PKEY* issuer_key, const std::vector<std::pair<int, std::string>>& extensions) {
  Cert cert(X509_new());
  // A positive random 127-bit serial: unique without a serial file, and within RFC 5280's 20 bytes.
  std::unique_ptr<BIGNUM, Deleter<BN_free>> serial(BN_new());
  if (!cert || !serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
    return nullptr;
  X509_set_version(cert.get(), X509_VERSION_3);
  // An hour back, so a client whose clock is a little behind still accepts it.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), kValidDays, 0, nullptr);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("kinda"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert.get(), subject_key);
  for (const auto& [nid, value] : extensions)
    if (!add_extension(cert.get(), issuer ? issuer : cert.get(), nid, value)) return nullptr;
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) return nullptr;
  return cert;
}

// Whether a kept server certificate still serves: signed by this CA, naming `host`, not ending
// within kRenewBeforeDays.
bool server_cert_fits(X509* cert, EVP_PKEY* key, EVP_PKEY* ca_key, const std::string& host) {
  if (!cert || !key || X509_verify(cert, ca_key) != 1 || X509_check_private_key(cert, key) != 1)
    return false;
  if (X509_check_ip_asc(cert, host.c_str(), 0) != 1) return false;
  time_t soon = std::time(nullptr) + kRenewBeforeDays * 24 * 3600;
  return X509_cmp_time(X509_get0_notAfter(cert), &soon) > 0;
}

std::string alt_names(const std::string& host) {
  std::string names = "IP:127.0.0.1,IP:::1,DNS:localhost";
  if (host != "127.0.0.1" && host != "::1") names += ",IP:" + host;
  return names;
}

Status write_pair(const std::filesystem::path& cert_file, X509* cert,
                  const std::filesystem::path& key_file, EVP_PKEY* key) {
  // The key first: a certificate on disk is only ever next to its own key.
  if (auto st = write_private_file(key_file, to_pem(key)); !st) return st;
  return write_private_file(cert_file, to_pem(cert));
}

}  // namespace

Status ensure_tls_identity(const storage::ClusterPaths& paths, const std::string& host) {
  if (auto st = make_private_dir(paths.pki()); !st) return st;
  Cert ca = read_cert(paths.ca_cert());
  Key ca_key = read_key(paths.ca_key());
  if (!ca || !ca_key || X509_check_private_key(ca.get(), ca_key.get()) != 1) {
    ca_key = new_key();
    if (!ca_key) return Error::internal("cannot generate the cluster CA's key");
    ca = issue("kinda-" + paths.name + "-ca", ca_key.get(), nullptr, ca_key.get(),
               {{NID_basic_constraints, "critical,CA:TRUE"},
                {NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"},
                {NID_subject_key_identifier, "hash"}});
    if (!ca) return Error::internal("cannot issue the cluster CA certificate");
    if (auto st = write_pair(paths.ca_cert(), ca.get(), paths.ca_key(), ca_key.get()); !st)
      return st;
  }
  Cert server = read_cert(paths.server_cert());
  Key server_key = read_key(paths.server_key());
  if (server_cert_fits(server.get(), server_key.get(), ca_key.get(), host)) return Ok{};
  server_key = new_key();
  if (!server_key) return Error::internal("cannot generate the API server's key");
  server = issue("kinda-" + paths.name + "-apiserver", server_key.get(), ca.get(), ca_key.get(),
                 {{NID_basic_constraints, "critical,CA:FALSE"},
                  {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                  {NID_ext_key_usage, "serverAuth"},
                  {NID_subject_key_identifier, "hash"},
                  {NID_authority_key_identifier, "keyid:always"},
                  {NID_subject_alt_name, alt_names(host)}});
  if (!server) return Error::internal("cannot issue the API server's certificate");
  return write_pair(paths.server_cert(), server.get(), paths.server_key(), server_key.get());
}

}  // namespace kinda::apiserver
