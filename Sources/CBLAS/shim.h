// CBLAS shim: Debian's libopenblas-dev ships cblas.h; the thread knob is OpenBLAS's own API.
#include <cblas.h>
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
