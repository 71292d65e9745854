#include "cicu.h"
#include <string.h>
#include <unicode/utypes.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

int32_t cicu_nfkc_casefold(const uint16_t *src, int32_t srcLen,
                           uint16_t *dst, int32_t dstCap, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *n = unorm2_getNFKCCasefoldInstance(&err);
    if (U_FAILURE(err)) { *status = err; return 0; }
    int32_t len = unorm2_normalize(n, (const UChar *)src, srcLen, (UChar *)dst, dstCap, &err);
    *status = err;
    return len;
}

int32_t cicu_nfkc_casefold_each(int32_t first, int32_t last, uint16_t *out, int32_t outCap, int32_t *lengths) {
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *n = unorm2_getNFKCCasefoldInstance(&err);
    if (U_FAILURE(err)) return -1;
    int32_t used = 0;
    for (int32_t c = first; c <= last; c++) {
        int32_t i = c - first;
        if (c >= 0xD800 && c <= 0xDFFF) { lengths[i] = 0; continue; }
        UChar src = (UChar)c;
        /* Fast path: most characters are already NFKC_Casefold. */
        if (unorm2_isNormalized(n, &src, 1, &err) && U_SUCCESS(err)) {
            if (used + 1 > outCap) return -1;
            out[used++] = (uint16_t)c;
            lengths[i] = 1;
            continue;
        }
        err = U_ZERO_ERROR;
        int32_t len = unorm2_normalize(n, &src, 1, (UChar *)out + used, outCap - used, &err);
        if (U_FAILURE(err)) { if (err == U_BUFFER_OVERFLOW_ERROR) return -1; lengths[i] = -1; err = U_ZERO_ERROR; continue; }
        lengths[i] = len;
        used += len;
    }
    return used;
}

void *cicu_translit_open(const char *id, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    UChar uid[128];
    int32_t idLen = 0;
    u_strFromUTF8(uid, 128, &idLen, id, -1, &err);
    if (U_FAILURE(err)) { *status = err; return NULL; }
    UTransliterator *t = utrans_openU(uid, idLen, UTRANS_FORWARD, NULL, 0, NULL, &err);
    *status = err;
    return U_FAILURE(err) ? NULL : (void *)t;
}

void cicu_translit_close(void *translit) {
    if (translit) utrans_close((UTransliterator *)translit);
}

int32_t cicu_translit_apply(void *translit, uint16_t *text, int32_t textLen,
                            int32_t textCap, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = textLen, limit = textLen;
    utrans_transUChars((UTransliterator *)translit, (UChar *)text, &len, textCap, 0, &limit, &err);
    *status = err;
    return len;
}

/// Counts undecodable bytes, then substitutes U+FFFD as ICU's default does.
static void count_then_substitute(const void *context, UConverterToUnicodeArgs *args,
                                  const char *codeUnits, int32_t length,
                                  UConverterCallbackReason reason, UErrorCode *err) {
    if (reason == UCNV_ILLEGAL || reason == UCNV_UNASSIGNED || reason == UCNV_IRREGULAR) {
        *(int32_t *)context += length;
    }
    UCNV_TO_U_CALLBACK_SUBSTITUTE(NULL, args, codeUnits, length, reason, err);
}

int32_t cicu_decode(const char *charset, const uint8_t *src, int32_t srcLen,
                    uint16_t *dst, int32_t dstCap, int32_t *offsets,
                    int32_t *substitutedBytes, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    *substitutedBytes = 0;
    UConverter *cnv = ucnv_open(charset, &err);
    if (U_FAILURE(err)) { *status = err; return 0; }
    ucnv_setToUCallBack(cnv, count_then_substitute, substitutedBytes, NULL, NULL, &err);
    if (U_FAILURE(err)) { ucnv_close(cnv); *status = err; return 0; }
    UChar *target = (UChar *)dst;
    const char *source = (const char *)src;
    ucnv_toUnicode(cnv, &target, (UChar *)dst + dstCap, &source, (const char *)src + srcLen,
                   offsets, 1, &err);
    ucnv_close(cnv);
    *status = err;
    return (int32_t)(target - (UChar *)dst);
}

int32_t cicu_charset_known(const char *charset, char *canonical, int32_t canonicalCap) {
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(charset, &err);
    if (U_FAILURE(err) || cnv == NULL) return 0;
    const char *name = ucnv_getName(cnv, &err);
    if (canonical && canonicalCap > 0) {
        strncpy(canonical, U_SUCCESS(err) && name ? name : charset, canonicalCap - 1);
        canonical[canonicalCap - 1] = 0;
    }
    ucnv_close(cnv);
    return 1;
}

int32_t cicu_detect(const uint8_t *src, int32_t srcLen, char *name, int32_t nameCap,
                    int32_t *confidence, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    *confidence = 0;
    if (nameCap > 0) name[0] = 0;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_FAILURE(err)) { *status = err; return 0; }
    ucsdet_enableInputFilter(det, 1);
    ucsdet_setText(det, (const char *)src, srcLen, &err);
    const UCharsetMatch *m = U_SUCCESS(err) ? ucsdet_detect(det, &err) : NULL;
    int32_t found = 0;
    if (m != NULL && U_SUCCESS(err)) {
        const char *n = ucsdet_getName(m, &err);
        int32_t c = ucsdet_getConfidence(m, &err);
        if (U_SUCCESS(err) && n) {
            strncpy(name, n, nameCap - 1);
            name[nameCap - 1] = 0;
            *confidence = c;
            found = 1;
        }
    }
    ucsdet_close(det);
    *status = err;
    return found;
}
