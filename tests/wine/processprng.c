/* Test infrastructure only, never shipped: Wine 8 has no bcryptprimitives.dll, but Rust's std on
 * Windows imports ProcessPrng from it, so no Rust .exe starts under Wine without this shim.
 * ProcessPrng(buf, len) fills buf with random bytes and always returns TRUE (Microsoft's
 * documented contract); here it loops over RtlGenRandom (SystemFunction036 in advapi32).
 * Built by .ci/wine-prefix with x86_64-w64-mingw32-gcc into the prefix's system32. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
