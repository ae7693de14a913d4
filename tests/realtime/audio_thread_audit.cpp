// Interposes the allocator and pthread_mutex_lock for this test binary. The real functions
// are glibc's __libc_* entry points and the next pthread_mutex_lock in link order.

#include "audio_thread_audit.h"

#include <dlfcn.h>
#include <pthread.h>

#include <atomic>
#include <cstdlib>
#include <new>

// glibc's own names for the real functions (reserved identifiers, declared here on purpose).
// NOLINTBEGIN(bugprone-reserved-identifier)
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);
}
// NOLINTEND(bugprone-reserved-identifier)

namespace {

thread_local bool auditing = false;
thread_local bool filtering = false;  // the filter's own calls are never counted
std::atomic<std::uint64_t> allocations{0}, frees{0}, locks{0};
std::atomic<gs::test::AuditFilter> filter{nullptr};

bool counted() {
    if (!auditing || filtering) return false;
    const gs::test::AuditFilter accept = filter.load(std::memory_order_relaxed);
    if (accept == nullptr) return true;
    filtering = true;
    const bool result = accept();
    filtering = false;
    return result;
}

void countAllocation() {
    if (counted()) allocations.fetch_add(1, std::memory_order_relaxed);
}
void countFree(void* pointer) {
    if (pointer && counted()) frees.fetch_add(1, std::memory_order_relaxed);
}

using MutexLock = int (*)(pthread_mutex_t*);
MutexLock realMutexLock() {
    static const auto real = reinterpret_cast<MutexLock>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
    return real;
}

// Resolve before any audit opens, so dlsym's own work is never counted.
const bool resolvedEarly = realMutexLock() != nullptr;

}  // namespace

extern "C" {
void* malloc(std::size_t size) {
    countAllocation();
    return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) {
    countAllocation();
    return __libc_calloc(count, size);
}
void* realloc(void* pointer, std::size_t size) {
    countAllocation();
    return __libc_realloc(pointer, size);
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
    countAllocation();
    return __libc_memalign(alignment, size);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
    countAllocation();
    *out = __libc_memalign(alignment, size);
    return *out ? 0 : 12;  // ENOMEM
}
void free(void* pointer) {
    countFree(pointer);
    __libc_free(pointer);
}
int pthread_mutex_lock(pthread_mutex_t* mutex) {
    if (counted()) locks.fetch_add(1, std::memory_order_relaxed);
    return realMutexLock()(mutex);
}
}

void* operator new(std::size_t size) {
    if (void* p = malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, std::align_val_t alignment) {
    void* p = nullptr;
    if (posix_memalign(&p, static_cast<std::size_t>(alignment), size == 0 ? 1 : size) != 0)
        throw std::bad_alloc();
    return p;
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
    return operator new(size, alignment);
}
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, std::size_t) noexcept { free(p); }
void operator delete[](void* p, std::size_t) noexcept { free(p); }
void operator delete(void* p, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { free(p); }

namespace gs::test {

AudioThreadAudit::AudioThreadAudit() {
    (void)resolvedEarly;
    auditing = true;
}
AudioThreadAudit::~AudioThreadAudit() { auditing = false; }

AuditCounts AudioThreadAudit::counts() const { return totalAuditCounts(); }

AuditCounts totalAuditCounts() { return {allocations.load(), frees.load(), locks.load()}; }

void setAuditFilter(AuditFilter accept) { filter.store(accept); }

}  // namespace gs::test
