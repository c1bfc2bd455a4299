/* Test infrastructure only, never shipped: holds a file open the way many Windows programs do
 * (a virus scanner, a backup or sync tool, an editor: read and write sharing, but no delete
 * sharing), so that replacing the file by a rename fails with a sharing violation until it lets
 * go. Usage: holdopen.exe PATH MILLISECONDS. Prints "open" once the file is open, "closed" when
 * it has closed it; exit 1 if the file cannot be opened.
 * Built by .ci/wine-prefix with x86_64-w64-mingw32-gcc into the Wine prefix. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: holdopen PATH MILLISECONDS\n");
        return 2;
    }
    HANDLE h = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "cannot open: error %lu\n", GetLastError());
        return 1;
    }
    printf("open\n");
    fflush(stdout);
    Sleep((DWORD)_wtoi(argv[2]));
    CloseHandle(h);
    printf("closed\n");
    fflush(stdout);
    return 0;
}
