// The libcurl functions kinda calls, defined here with libcurl's own names and signatures so call
// sites stay plain libcurl. Each forwards to the real library, opened with dlopen the first time
// any of them runs (see CMakeLists.txt for why it is not linked). Add a forwarder when kinda starts
// calling another libcurl function: the link fails until then.
#define CURL_DISABLE_TYPECHECK  // the type-checking macros would rename the definitions below
#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace {

void* libcurl() {
  static void* const handle = [] {
    void* h = ::dlopen(KINDA_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) {
      // Only a broken installation gets here (the build needed libcurl): say what is missing.
      std::fprintf(stderr, "kinda: cannot load %s: %s\n", KINDA_LIBCURL_SONAME, ::dlerror());
      std::_Exit(127);
    }
    return h;
  }();
  return handle;
}

// The real function named `name`, with the type of our forwarder `F`.
template <typename F>
F* real(const char* name) {
  void* symbol = ::dlsym(libcurl(), name);
  if (symbol == nullptr) {
    std::fprintf(stderr, "kinda: %s has no %s\n", KINDA_LIBCURL_SONAME, name);
    std::_Exit(127);
  }
  return reinterpret_cast<F*>(symbol);
}

#define KINDA_REAL(fn) static auto* const real_##fn = real<decltype(fn)>(#fn)

// Option values travel as exactly one argument whose type is set by the option's number range, the
// rule libcurl itself applies when it reads them (CURLOPTTYPE_*); read it as that type to pass it
// on.
template <typename Handle, typename Option, typename Call>
auto forward_option(Handle* handle, Option option, va_list args, Call call) {
  const long kind = static_cast<long>(option) / 10000 * 10000;
  if (kind == CURLOPTTYPE_LONG) return call(handle, option, va_arg(args, long));
  if (kind == CURLOPTTYPE_OFF_T) return call(handle, option, va_arg(args, curl_off_t));
  if (kind == CURLOPTTYPE_FUNCTIONPOINT) return call(handle, option, va_arg(args, void (*)()));
  return call(handle, option, va_arg(args, void*));  // object pointers, strings, slists, blobs
}

// curl 8.3 made the handle of curl_url_get const; the definition must match the installed header.
#if LIBCURL_VERSION_NUM >= 0x080300
using UrlGetHandle = const CURLU*;
#else
using UrlGetHandle = CURLU*;
#endif

}  // namespace

extern "C" {

CURLcode curl_global_init(long flags) {
  KINDA_REAL(curl_global_init);
  return real_curl_global_init(flags);
}

void curl_free(void* p) {
  KINDA_REAL(curl_free);
  real_curl_free(p);
}

curl_slist* curl_slist_append(curl_slist* list, const char* text) {
  KINDA_REAL(curl_slist_append);
  return real_curl_slist_append(list, text);
}

void curl_slist_free_all(curl_slist* list) {
  KINDA_REAL(curl_slist_free_all);
  real_curl_slist_free_all(list);
}

CURL* curl_easy_init() {
  KINDA_REAL(curl_easy_init);
  return real_curl_easy_init();
}

void curl_easy_cleanup(CURL* handle) {
  KINDA_REAL(curl_easy_cleanup);
  real_curl_easy_cleanup(handle);
}

CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
  KINDA_REAL(curl_easy_setopt);
  va_list args;
  va_start(args, option);
  auto result = forward_option(handle, option, args, [](CURL* h, CURLoption o, auto value) {
    return real_curl_easy_setopt(h, o, value);
  });
  va_end(args);
  return result;
}

// Every CURLINFO_* takes one pointer to where the answer goes.
CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
  KINDA_REAL(curl_easy_getinfo);
  va_list args;
  va_start(args, info);
  void* out = va_arg(args, void*);
  va_end(args);
  return real_curl_easy_getinfo(handle, info, out);
}

CURLcode curl_easy_perform(CURL* handle) {
  KINDA_REAL(curl_easy_perform);
  return real_curl_easy_perform(handle);
}

const char* curl_easy_strerror(CURLcode code) {
  KINDA_REAL(curl_easy_strerror);
  return real_curl_easy_strerror(code);
}

CURLHcode curl_easy_header(CURL* handle, const char* name, size_t index, unsigned int origin,
                           int request, curl_header** out) {
  KINDA_REAL(curl_easy_header);
  return real_curl_easy_header(handle, name, index, origin, request, out);
}

CURLM* curl_multi_init() {
  KINDA_REAL(curl_multi_init);
  return real_curl_multi_init();
}

CURLMcode curl_multi_cleanup(CURLM* multi) {
  KINDA_REAL(curl_multi_cleanup);
  return real_curl_multi_cleanup(multi);
}

CURLMcode curl_multi_add_handle(CURLM* multi, CURL* handle) {
  KINDA_REAL(curl_multi_add_handle);
  return real_curl_multi_add_handle(multi, handle);
}

CURLMcode curl_multi_remove_handle(CURLM* multi, CURL* handle) {
  KINDA_REAL(curl_multi_remove_handle);
  return real_curl_multi_remove_handle(multi, handle);
}

CURLMcode curl_multi_setopt(CURLM* multi, CURLMoption option, ...) {
  KINDA_REAL(curl_multi_setopt);
  va_list args;
  va_start(args, option);
  auto result = forward_option(multi, option, args, [](CURLM* m, CURLMoption o, auto value) {
    return real_curl_multi_setopt(m, o, value);
  });
  va_end(args);
  return result;
}

CURLMcode curl_multi_socket_action(CURLM* multi, curl_socket_t socket, int events, int* running) {
  KINDA_REAL(curl_multi_socket_action);
  return real_curl_multi_socket_action(multi, socket, events, running);
}

CURLMsg* curl_multi_info_read(CURLM* multi, int* queued) {
  KINDA_REAL(curl_multi_info_read);
  return real_curl_multi_info_read(multi, queued);
}

CURLMcode curl_multi_assign(CURLM* multi, curl_socket_t socket, void* data) {
  KINDA_REAL(curl_multi_assign);
  return real_curl_multi_assign(multi, socket, data);
}

CURLU* curl_url() {
  KINDA_REAL(curl_url);
  return real_curl_url();
}

void curl_url_cleanup(CURLU* url) {
  KINDA_REAL(curl_url_cleanup);
  real_curl_url_cleanup(url);
}

CURLUcode curl_url_get(UrlGetHandle url, CURLUPart part, char** out, unsigned int flags) {
  KINDA_REAL(curl_url_get);
  return real_curl_url_get(url, part, out, flags);
}

CURLUcode curl_url_set(CURLU* url, CURLUPart part, const char* content, unsigned int flags) {
  KINDA_REAL(curl_url_set);
  return real_curl_url_set(url, part, content, flags);
}

}  // extern "C"
