#pragma once
// Counts heap allocations, frees and mutex locks made by the current thread while an audit is
// open. The counting comes from audio_thread_audit.cpp, which replaces malloc/free, operator
// new/delete and pthread_mutex_lock for the whole test binary.

#include <cstdint>

namespace gs::test {

struct AuditCounts {
    std::uint64_t allocations = 0;
    std::uint64_t frees = 0;
    std::uint64_t locks = 0;
};

// Opens an audit on this thread for the guard's lifetime.
class AudioThreadAudit {
public:
    AudioThreadAudit();
    ~AudioThreadAudit();
    AuditCounts counts() const;
};

// What all audits have counted since the binary started.
AuditCounts totalAuditCounts();

// When set, an audited allocation, free or lock counts only if the filter returns true; it
// runs on the audited thread inside the allocator, so it must not allocate itself (e.g. "was
// this made by the plugin's code, not the host's?"). nullptr counts everything.
using AuditFilter = bool (*)();
void setAuditFilter(AuditFilter filter);

}  // namespace gs::test
