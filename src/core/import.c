#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "leadboard/import.h"
#include "leadboard/rules.h"
#include "leadboard/store.h"
#include "leadboard/text.h"

/* ---- header names ----
 *
 * A header name is known by its key: ASCII letters folded to lower case,
 * digits, and other (non-ASCII) letters; spaces, punctuation, control
 * characters, no-break spaces and BOMs are left out, so "E-mail 1 - Value",
 * "email_1_value" and "EMAIL1VALUE" are one key.  A key is looked up as it
 * is, then without its digits ("E-mail 2 Address"), then without the words
 * CRMs put around a field's name ("Primary Email", "Email (Work)",
 * "Contact First Name"). */

typedef struct {
    const char *key;
    lb_import_field field;
    int rank; /* among the columns of one field, the lower first ("Job Title" before "Title") */
} header_name;

static const header_name header_names[] = {
    {"firstname", IMP_FIRST_NAME, 0},
    {"givenname", IMP_FIRST_NAME, 0},
    {"first", IMP_FIRST_NAME, 0},
    {"forename", IMP_FIRST_NAME, 0},
    {"fname", IMP_FIRST_NAME, 0},
    {"vorname", IMP_FIRST_NAME, 0},
    {"pr\xc3\xa9nom", IMP_FIRST_NAME, 0},
    {"prenom", IMP_FIRST_NAME, 0},
    {"nombre", IMP_FIRST_NAME, 0},
    {"lastname", IMP_LAST_NAME, 0},
    {"surname", IMP_LAST_NAME, 0},
    {"familyname", IMP_LAST_NAME, 0},
    {"last", IMP_LAST_NAME, 0},
    {"lname", IMP_LAST_NAME, 0},
    {"nachname", IMP_LAST_NAME, 0},
    {"nom", IMP_LAST_NAME, 0},
    {"apellido", IMP_LAST_NAME, 0},
    {"apellidos", IMP_LAST_NAME, 0},
    {"name", IMP_NAME, 0},
    {"fullname", IMP_NAME, 0},
    {"contactname", IMP_NAME, 0},
    {"leadname", IMP_NAME, 1}, /* Close: the lead is the company; contact_name the person */
    {"personname", IMP_NAME, 0},
    {"contact", IMP_NAME, 1},
    {"contactperson", IMP_NAME, 1},
    {"displayname", IMP_NAME, 1},
    {"nomcomplet", IMP_NAME, 0},
    {"nombrecompleto", IMP_NAME, 0},
    {"company", IMP_COMPANY, 0},
    {"companyname", IMP_COMPANY, 0},
    {"companyaccount", IMP_COMPANY, 0},
    {"account", IMP_COMPANY, 1},
    {"accountname", IMP_COMPANY, 0},
    {"organization", IMP_COMPANY, 0},
    {"organisation", IMP_COMPANY, 0},
    {"organizationname", IMP_COMPANY, 0},
    {"organisationname", IMP_COMPANY, 0},
    {"org", IMP_COMPANY, 1},
    {"orgname", IMP_COMPANY, 0},
    {"business", IMP_COMPANY, 1},
    {"businessname", IMP_COMPANY, 0},
    {"employer", IMP_COMPANY, 1},
    {"firm", IMP_COMPANY, 1},
    {"firma", IMP_COMPANY, 0},
    {"firmenname", IMP_COMPANY, 0},
    {"unternehmen", IMP_COMPANY, 0},
    {"soci\xc3\xa9t\xc3\xa9", IMP_COMPANY, 0},
    {"societe", IMP_COMPANY, 0},
    {"entreprise", IMP_COMPANY, 0},
    {"empresa", IMP_COMPANY, 0},
    {"email", IMP_EMAIL, 0},
    {"emailaddress", IMP_EMAIL, 0},
    {"emailid", IMP_EMAIL, 0},
    {"emails", IMP_EMAIL, 0},
    {"mail", IMP_EMAIL, 1},
    {"mailaddress", IMP_EMAIL, 1},
    {"courriel", IMP_EMAIL, 0},
    {"adresseemail", IMP_EMAIL, 0},
    {"correo", IMP_EMAIL, 0},
    {"correoelectr\xc3\xb3nico", IMP_EMAIL, 0},
    {"phone", IMP_PHONE, 0},
    {"phonenumber", IMP_PHONE, 0},
    {"phones", IMP_PHONE, 0},
    {"telephone", IMP_PHONE, 0},
    {"telephonenumber", IMP_PHONE, 0},
    {"t\xc3\xa9l\xc3\xa9phone", IMP_PHONE, 0},
    {"tel", IMP_PHONE, 0},
    {"telefon", IMP_PHONE, 0},
    {"telefono", IMP_PHONE, 0},
    {"tel\xc3\xa9" "fono", IMP_PHONE, 0},
    {"contactnumber", IMP_PHONE, 0},
    {"contactnumbers", IMP_PHONE, 0},
    {"directphone", IMP_PHONE, 0},
    {"directdial", IMP_PHONE, 0},
    {"landline", IMP_PHONE, 0},
    {"mobile", IMP_MOBILE, 0},
    {"mobilephone", IMP_MOBILE, 0},
    {"mobilephonenumber", IMP_MOBILE, 0},
    {"mobilenumber", IMP_MOBILE, 0},
    {"phonemobile", IMP_MOBILE, 0},
    {"cell", IMP_MOBILE, 0},
    {"cellphone", IMP_MOBILE, 0},
    {"cellular", IMP_MOBILE, 0},
    {"cellularnumber", IMP_MOBILE, 0},
    {"cellnumber", IMP_MOBILE, 0},
    {"handy", IMP_MOBILE, 0},
    {"mobiltelefon", IMP_MOBILE, 0},
    {"portable", IMP_MOBILE, 0},
    {"celular", IMP_MOBILE, 0},
    {"jobtitle", IMP_TITLE, 0},
    {"title", IMP_TITLE, 1},
    {"position", IMP_TITLE, 0},
    {"jobposition", IMP_TITLE, 0},
    {"designation", IMP_TITLE, 0},
    {"jobrole", IMP_TITLE, 0},
    {"occupation", IMP_TITLE, 1},
    {"organizationtitle", IMP_TITLE, 0},
    {"organisationtitle", IMP_TITLE, 0},
    {"leadsource", IMP_CAMPAIGN, 0},
    {"campaign", IMP_CAMPAIGN, 0},
    {"campaignname", IMP_CAMPAIGN, 0},
    {"originalsource", IMP_CAMPAIGN, 0},
    {"source", IMP_CAMPAIGN, 1},
    {"utmcampaign", IMP_CAMPAIGN, 1},
    {"amount", IMP_VALUE, 0},
    {"estimatedvalue", IMP_VALUE, 0},
    {"value", IMP_VALUE, 0},
    {"dealvalue", IMP_VALUE, 0},
    {"dealamount", IMP_VALUE, 0},
    {"expectedrevenue", IMP_VALUE, 1},
    {"opportunityamount", IMP_VALUE, 0},
    {"opportunityvalue", IMP_VALUE, 0},
    {"leadvalue", IMP_VALUE, 0},
    {"dealsize", IMP_VALUE, 0},
    {"budget", IMP_VALUE, 1},
    {"betrag", IMP_VALUE, 0},
    {"wert", IMP_VALUE, 1},
    {"montant", IMP_VALUE, 0},
    {"importe", IMP_VALUE, 0},
    {"valor", IMP_VALUE, 1},
    {"kampagne", IMP_CAMPAIGN, 0},
    {"campagne", IMP_CAMPAIGN, 0},
    {"campa\xc3\xb1" "a", IMP_CAMPAIGN, 0},
    {"quelle", IMP_CAMPAIGN, 1},
    {"origen", IMP_CAMPAIGN, 1},
    {"origine", IMP_CAMPAIGN, 1},
    {"cargo", IMP_TITLE, 0},
    {"puesto", IMP_TITLE, 0},
    {"poste", IMP_TITLE, 1},
    {"funktion", IMP_TITLE, 1},
    {"worknumber", IMP_PHONE, 0},
    {"fn", IMP_NAME, 1},          /* vCard's formatted name, as vCard-to-CSV tools keep it */
    {"leadtitle", IMP_UNKNOWN, 0}, /* Pipedrive: the lead's (deal's) name, not a job */
    {"dealtitle", IMP_UNKNOWN, 0},
    {"description", IMP_NOTES, 0},
    {"notes", IMP_NOTES, 0},
    {"note", IMP_NOTES, 0},
    {"comments", IMP_NOTES, 1},
    {"comment", IMP_NOTES, 1},
    {"remarks", IMP_NOTES, 1},
    {"background", IMP_NOTES, 1},
    /* address books in other languages (Thunderbird, Outlook, phones),
     * the spellings of their exports in German, Japanese, Chinese, Korean,
     * Portuguese, Italian and Dutch */
    {"anzeigename", IMP_NAME, 1},
    {"emailadresse", IMP_EMAIL, 0},
    {"prim\xc3\xa4" "reemailadresse", IMP_EMAIL, 0},
    {"sekund\xc3\xa4" "reemailadresse", IMP_EMAIL, 1},
    {"mobil", IMP_MOBILE, 0},
    {"mobiltelnr", IMP_MOBILE, 0},
    {"teldienstlich", IMP_PHONE, 0},
    {"arbeitstitel", IMP_TITLE, 0},
    {"\xe5\x90\x8d\xe5\x89\x8d", IMP_NAME, 0},                         /* 名前 */
    {"\xe6\xb0\x8f\xe5\x90\x8d", IMP_NAME, 0},                         /* 氏名 */
    {"\xe5\xa7\x93\xe5\x90\x8d", IMP_NAME, 0},                         /* 姓名 */
    {"\xe8\xa1\xa8\xe7\xa4\xba\xe5\x90\x8d", IMP_NAME, 1},             /* 表示名 */
    {"\xe5\x90\x8d", IMP_FIRST_NAME, 0},                                 /* 名 */
    {"\xe5\xa7\x93", IMP_LAST_NAME, 0},                                 /* 姓 */
    {"\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab", IMP_EMAIL, 0},             /* メール */
    {"\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe3\x82\xa2\xe3\x83\x89\xe3\x83\xac\xe3\x82\xb9",
     IMP_EMAIL, 0},                                                       /* メールアドレス */
    {"\xe7\xac\xac\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe3\x82\xa2\xe3\x83\x89\xe3\x83\xac\xe3\x82\xb9",
     IMP_EMAIL, 1},                                                       /* 第2メールアドレス */
    {"\xe9\x9b\xbb\xe5\xad\x90\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab", IMP_EMAIL, 0}, /* 電子メール */
    {"\xe7\x94\xb5\xe5\xad\x90\xe9\x82\xae\xe4\xbb\xb6", IMP_EMAIL, 0}, /* 电子邮件 */
    {"\xe9\x82\xae\xe7\xae\xb1", IMP_EMAIL, 0},                         /* 邮箱 */
    {"\xe4\xbc\x9a\xe7\xa4\xbe", IMP_COMPANY, 0},                         /* 会社 */
    {"\xe4\xbc\x9a\xe7\xa4\xbe\xe5\x90\x8d", IMP_COMPANY, 0},             /* 会社名 */
    {"\xe5\x8b\xa4\xe5\x8b\x99\xe5\x85\x88", IMP_COMPANY, 1},             /* 勤務先 */
    {"\xe5\x85\xac\xe5\x8f\xb8", IMP_COMPANY, 0},                         /* 公司 */
    {"\xe9\x9b\xbb\xe8\xa9\xb1", IMP_PHONE, 0},                         /* 電話 */
    {"\xe9\x9b\xbb\xe8\xa9\xb1\xe7\x95\xaa\xe5\x8f\xb7", IMP_PHONE, 0}, /* 電話番号 */
    {"\xe5\x8b\xa4\xe5\x8b\x99\xe5\x85\x88\xe9\x9b\xbb\xe8\xa9\xb1\xe7\x95\xaa\xe5\x8f\xb7",
     IMP_PHONE, 0},                                                       /* 勤務先電話番号 */
    {"\xe7\x94\xb5\xe8\xaf\x9d", IMP_PHONE, 0},                         /* 电话 */
    {"\xe6\x90\xba\xe5\xb8\xaf\xe9\x9b\xbb\xe8\xa9\xb1", IMP_MOBILE, 0}, /* 携帯電話 */
    {"\xe6\x90\xba\xe5\xb8\xaf\xe9\x9b\xbb\xe8\xa9\xb1\xe7\x95\xaa\xe5\x8f\xb7",
     IMP_MOBILE, 0},                                                      /* 携帯電話番号 */
    {"\xe6\x89\x8b\xe6\x9c\xba", IMP_MOBILE, 0},                         /* 手机 */
    {"\xe5\xbd\xb9\xe8\x81\xb7", IMP_TITLE, 0},                         /* 役職 */
    {"\xe8\x81\x8c\xe4\xbd\x8d", IMP_TITLE, 0},                         /* 职位 */
    {"\xec\x9d\xb4\xeb\xa6\x84", IMP_NAME, 0},                         /* 이름 */
    {"\xec\x9d\xb4\xeb\xa9\x94\xec\x9d\xbc", IMP_EMAIL, 0},             /* 이메일 */
    {"\xed\x9a\x8c\xec\x82\xac", IMP_COMPANY, 0},                         /* 회사 */
    {"\xec\xa0\x84\xed\x99\x94", IMP_PHONE, 0},                         /* 전화 */
    {"nomdefamille", IMP_LAST_NAME, 0},
    {"adressedemessagerie", IMP_EMAIL, 0},
    {"t\xc3\xa9l\xc3\xa9phonebureau", IMP_PHONE, 0},
    {"t\xc3\xa9lmobile", IMP_MOBILE, 0},
    {"t\xc3\xa9l\xc3\xa9phonemobile", IMP_MOBILE, 0},
    {"fonction", IMP_TITLE, 0},
    {"telefongesch\xc3\xa4" "ftlich", IMP_PHONE, 0},
    {"dealcontactperson", IMP_NAME, 0},
    {"dealorganization", IMP_COMPANY, 0},
    {"dealorganisation", IMP_COMPANY, 0},
    {"contactemails", IMP_EMAIL, 0},
    {"contactphones", IMP_PHONE, 0},
    {"contacttitle", IMP_TITLE, 0},
    {"primarycontactname", IMP_NAME, 0}, /* Close: before its display_name, the company */
    {"primarycontactprimaryemail", IMP_EMAIL, 0},
    {"primarycontactprimaryphone", IMP_PHONE, 0},
    {"primarycontacttitle", IMP_TITLE, 0},
    {"nom\xc3\xa0" "afficher", IMP_NAME, 1},
    {"nomaffich\xc3\xa9", IMP_NAME, 1},
    {"adresse\xc3\xa9lectronique", IMP_EMAIL, 0},
    {"premi\xc3\xa8readresse\xc3\xa9lectronique", IMP_EMAIL, 0},
    {"adresse\xc3\xa9lectroniqueprincipale", IMP_EMAIL, 0},
    {"adresse\xc3\xa9lectroniquesecondaire", IMP_EMAIL, 1},
    {"t\xc3\xa9l", IMP_PHONE, 0},
    {"t\xc3\xa9lprofessionnel", IMP_PHONE, 0},
    {"nomecompleto", IMP_NAME, 0},
    {"sobrenome", IMP_LAST_NAME, 0},
    {"cognome", IMP_LAST_NAME, 0},
    {"achternaam", IMP_LAST_NAME, 0},
    {"voornaam", IMP_FIRST_NAME, 0},
    {"naam", IMP_NAME, 0},
    {"azienda", IMP_COMPANY, 0},
    {"bedrijf", IMP_COMPANY, 0},
    {"telefoon", IMP_PHONE, 0},
    {"cellulare", IMP_MOBILE, 0},
    /* leadboard's own export */
    {"id", IMP_IGNORED, 0},
    {"stars", IMP_STARS, 0},
    {"furthest", IMP_FURTHEST, 0},
    {"rejections", IMP_REJECTIONS, 0},
    {"stage", IMP_STAGE, 0},
    {"owner", IMP_OWNER, 0},
    {"marketer", IMP_MARKETER, 0},
    {"reason", IMP_REASON, 0},
    {"createdat", IMP_CREATED_AT, 0},
    {"stageat", IMP_STAGE_AT, 0},
    {"handedoffat", IMP_HANDED_OFF_AT, 0},
    {"acceptedat", IMP_ACCEPTED_AT, 0},
    {"firsttouchat", IMP_FIRST_TOUCH_AT, 0},
    {"lasttouchat", IMP_LAST_TOUCH_AT, 0},
    {"nextdueat", IMP_NEXT_DUE_AT, 0},
    {"closedat", IMP_CLOSED_AT, 0},
    {"campaignchannel", IMP_CAMPAIGN_CHANNEL, 0},
    {"campaigncost", IMP_CAMPAIGN_COST, 0},
};

/* The words around a field's name, and how a column so named ranks: a
 * "Secondary Email" after the "Email". */
static const struct {
    const char *word;
    int rank;
} qualifiers[] = {
    {"primary", 0},  {"main", 0},     {"default", 0},   {"preferred", 0}, {"work", 0},
    {"business", 0}, {"office", 0},   {"direct", 0},    {"contact", 0},   {"person", 0},
    {"lead", 0},     {"client", 0},   {"customer", 0},  {"your", 0},      {"value", 0},
    {"address", 0},  {"home", 1},     {"personal", 1},  {"private", 1},   {"other", 1},
    {"secondary", 1}, {"alternate", 1}, {"alternative", 1}, {"additional", 1}, {"extra", 1},
    /* who the row is about, in event and form tools' exports */
    {"invitee", 0},  {"attendee", 0}, {"participant", 0}, {"registrant", 0}, {"member", 0},
    {"guest", 0},    {"subscriber", 0}, {"prospect", 0}, {"formatted", 0}, {"corporate", 0},
    {"first", 0},    {"custom", 0},
};

#define HEADER_KEY_MAX 64

/* The key of a header name; false when it is too long to be one. */
static bool header_key(const char *name, char *key, bool digits)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p; p++) {
        unsigned char c = *p;
        char out;
        if (c >= 'A' && c <= 'Z')
            out = (char)(c + 32);
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9' && digits))
            out = (char)c;
        else if (c < 0x80)
            continue; /* spaces, punctuation, digits, control characters */
        else if (c == 0xC2 && p[1] == 0xA0) {
            p++; /* a no-break space */
            continue;
        } else if (c == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
            p += 2; /* a stray BOM */
            continue;
        } else if (c == 0xE2 && p[1] == 0x80 && p[2] >= 0x80 && p[2] <= 0xAF) {
            p += 2; /* the spaces, dashes and marks of U+2000..U+202F */
            continue;
        } else if (c == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
            if (k + 3 > HEADER_KEY_MAX)
                return false;
            key[k++] = (char)c; /* Latin-1 capitals, folded: "SOCIÉTÉ" */
            key[k++] = (char)(p[1] + 0x20);
            p++;
            continue;
        } else {
            out = (char)c;
        }
        if (k + 2 > HEADER_KEY_MAX)
            return false;
        key[k++] = out;
    }
    key[k] = '\0';
    return true;
}

static const header_name *header_find(const char *key)
{
    if (!*key)
        return NULL;
    for (size_t i = 0; i < sizeof header_names / sizeof header_names[0]; i++)
        if (strcmp(key, header_names[i].key) == 0)
            return &header_names[i];
    return NULL;
}

/* The field a key names once qualifiers are taken off either end; *rank
 * is the highest of theirs. */
static const header_name *header_find_qualified(char *key, int *rank)
{
    size_t n = strlen(key);
    *rank = 0;
    while (n > 0) {
        /* the longest qualifier at either end ("personal", not "person") */
        size_t best = 0, m = 0;
        bool front = false;
        for (size_t q = 0; q < sizeof qualifiers / sizeof qualifiers[0]; q++) {
            size_t w = strlen(qualifiers[q].word);
            if (w >= n || w <= m)
                continue;
            bool at_front = strncmp(key, qualifiers[q].word, w) == 0;
            if (at_front || strcmp(key + n - w, qualifiers[q].word) == 0) {
                best = q;
                m = w;
                front = at_front;
            }
        }
        if (!m)
            break;
        if (front)
            memmove(key, key + m, n - m + 1);
        else
            key[n - m] = '\0';
        n -= m;
        if (qualifiers[best].rank > *rank)
            *rank = qualifiers[best].rank;
        const header_name *h = header_find(key);
        /* only the fields people are reached by take qualifiers */
        if (h && h->field >= IMP_FIRST_NAME && h->field <= IMP_NOTES)
            return h;
    }
    return NULL;
}

static lb_import_field map_header(const char *name, int *rank)
{
    char key[HEADER_KEY_MAX];
    const header_name *h;
    *rank = 0;
    if (!header_key(name, key, true))
        return IMP_UNKNOWN;
    if ((h = header_find(key)) != NULL) {
        *rank = h->rank;
        return h->field;
    }
    header_key(name, key, false);
    if ((h = header_find(key)) != NULL && h->field >= IMP_FIRST_NAME && h->field <= IMP_NOTES) {
        *rank = h->rank;
        return h->field;
    }
    int qrank;
    if ((h = header_find_qualified(key, &qrank)) != NULL) {
        *rank = h->rank > qrank ? h->rank : qrank;
        return h->field;
    }
    /* what comes before a unit or a type: "Deal value (EUR)", "Telephone
     * (Cell)", vCard's "EMAIL;TYPE=INTERNET" */
    const char *cut = strpbrk(name, "([;");
    if (cut && *cut == ';' && !strchr(cut, '='))
        cut = NULL; /* "Name;Email": a header read with the wrong delimiter */
    if (cut && cut > name) {
        char part[HEADER_KEY_MAX * 2];
        size_t n = (size_t)(cut - name);
        if (n < sizeof part) {
            memcpy(part, name, n);
            part[n] = '\0';
            lb_import_field f = map_header(part, rank);
            if (f >= IMP_FIRST_NAME && f <= IMP_NOTES)
                return f;
        }
    }
    *rank = 0;
    return IMP_UNKNOWN;
}

lb_import_field import_map_header(const char *name)
{
    int rank;
    return map_header(name, &rank);
}

static bool names_person(lb_import_field f)
{
    return (f >= IMP_FIRST_NAME && f <= IMP_EMAIL) || f == IMP_PHONE || f == IMP_MOBILE;
}

int import_header_score(const char *const *names, int n, bool *who)
{
    int score = 0;
    *who = false;
    for (int i = 0; i < n; i++) {
        lb_import_field f = import_map_header(names[i]);
        if (f != IMP_UNKNOWN)
            score++;
        if (names_person(f))
            *who = true;
    }
    return score;
}

/* Columns only a manager's import of leadboard's own export restores
 * (created_at is for everyone). */
static bool pipeline_field(lb_import_field f)
{
    return f >= IMP_STAGE && f <= IMP_STARS && f != IMP_CREATED_AT;
}

lb_status dup_mode_parse(const char *s, lb_dup_mode *out, lb_err *err)
{
    static const char *const names[] = {"skip", "update", "error"};
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *out = (lb_dup_mode)i;
            return LB_OK;
        }
    return lb_fail(err, LB_EUSAGE, "--on-duplicate '%.40s': use skip, update or error", s ? s : "");
}

/* ---- money as exports write it ---- */

/* The length of a currency sign or a blank at p (0: none). */
static size_t money_noise(const unsigned char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '$')
        return 1;
    if ((p[0] == 0xC2 && (p[1] == 0xA0 || p[1] == 0xA3 || p[1] == 0xA5)) || /* nbsp £ ¥ */
        (p[0] == 0xE2 && p[1] == 0x82 && p[2] >= 0xA0 && p[2] <= 0xBF) ||  /* € ₹ ₽ ... */
        (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAF || p[2] == 0x89)))  /* narrow, thin */
        return p[0] == 0xC2 ? 2 : 3;
    return 0;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* ISO codes an export writes beside an amount (case folded). */
static bool currency_code(const unsigned char *p, size_t n)
{
    static const char codes[] = "USD EUR GBP JPY CHF CAD AUD NZD SEK NOK DKK PLN CZK HUF INR "
                                "CNY RMB BRL MXN ZAR SGD HKD KRW RUB TRY ILS AED SAR RON BGN";
    if (n != 3)
        return false;
    char up[4] = {(char)(p[0] & ~0x20), (char)(p[1] & ~0x20), (char)(p[2] & ~0x20), 0};
    for (size_t i = 0; i + 3 < sizeof codes; i += 4)
        if (!memcmp(codes + i, up, 3))
            return true;
    return false;
}

static bool is_letter(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* The digits and marks of an amount, without its currency, blanks and
 * sign: "-$12,500.00 USD" is "12,500.00" and *neg; *exp is 3 for a
 * "12.5k", 6 for a "1.5M".  False when s is not an amount at all (letters
 * other than a currency code or that suffix: "1200abc", "12 boxes"). */
static bool money_core(const char *s, char *core, size_t size, bool *neg, int *exp)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    bool open = false, close = false, digits = false, after = false;
    *neg = false;
    *exp = 0;
    while (*p) {
        size_t k;
        if (is_digit(*p) || ((*p == '.' || *p == ',') && digits && !after)) {
            if (after || n + 1 >= size)
                return false;
            core[n++] = (char)*p++;
            digits = true;
        } else if ((*p == '\'' || *p == ' ') && digits && !after && is_digit(p[1])) {
            p++; /* 1'250.00, 1 250,00: a group */
        } else if ((k = money_noise(p)) > 0) {
            bool blank = *p == ' ' || *p == '\t' || (p[0] == 0xC2 && p[1] == 0xA0) ||
                         (p[0] == 0xE2 && p[1] == 0x80);
            if (digits && !(blank && !after && is_digit(p[k])))
                after = true; /* a space between groups is not the end */
            p += k;
        } else if ((*p == '-' || *p == '+') && !digits && !*neg) {
            *neg = *p++ == '-';
        } else if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92 && !digits && !*neg) {
            *neg = true; /* U+2212 minus */
            p += 3;
        } else if (*p == '-' && digits && p[1] == '\0') {
            *neg = true; /* 142.85- */
            p++;
        } else if (*p == '(' && !digits && !open) {
            open = true;
            p++;
        } else if (*p == ')' && digits && open && !close) {
            close = after = true;
            p++;
        } else if (is_letter(*p)) {
            size_t w = 1;
            while (is_letter(p[w]))
                w++;
            if (w == 1 && strchr("kKmM", *p) && digits && !after && !*exp) {
                *exp = (*p | 0x20) == 'k' ? 3 : 6; /* 12.5k, $1.5M */
                after = true;
            } else if (currency_code(p, w)) {
                after = after || digits; /* 12500 EUR */
            } else {
                return false;
            }
            p += w;
        } else {
            return false;
        }
    }
    core[n] = '\0';
    if (!digits || open != close || (open && *neg))
        return false;
    *neg = *neg || open;
    return true;
}

/* Which mark of core is the decimal one: the last of '.' and ',' when
 * both are there; one mark met once is decimal unless three digits follow
 * it (then the file's convention says); a mark met twice groups. */
static char money_decimal_mark(const char *core, bool decimal_comma)
{
    const char *dot = strrchr(core, '.'), *comma = strrchr(core, ',');
    if (dot && comma)
        return dot > comma ? '.' : ',';
    if (!dot && !comma)
        return 0;
    char m = dot ? '.' : ',';
    const char *last = dot ? dot : comma;
    if (strchr(core, m) != last)
        return 0;
    if (strlen(last + 1) != 3)
        return m;
    return m == (decimal_comma ? ',' : '.') ? m : 0;
}

lb_status import_money_parse(const char *s, bool decimal_comma, int64_t *cents, lb_err *err)
{
    char core[64];
    bool neg;
    int exp;
    if (!money_core(s ? s : "", core, sizeof core, &neg, &exp))
        goto invalid;
    char dec = money_decimal_mark(core, decimal_comma);
    int places = 2 + exp; /* digits after the decimal mark the cents hold */
    int64_t scale = 1;
    for (int i = 0; i < places; i++)
        scale *= 10;
    int64_t whole = 0, frac = 0;
    int nfrac = 0, run = 0, groups = 0;
    bool in_frac = false;
    for (const char *c = core; *c; c++) {
        if (*c == dec) {
            if (in_frac || (groups && run != 3))
                goto invalid;
            in_frac = true;
        } else if (*c == '.' || *c == ',') {
            /* a group mark: after the first group, groups of three (or of
             * two, as in 12,50,000), and the last of three */
            if (in_frac || !is_digit((unsigned char)c[1]) || run == 0 || run > 3 ||
                (groups && run < 2))
                goto invalid;
            groups++;
            run = 0;
        } else if (in_frac) {
            if (nfrac < places)
                frac = frac * 10 + (*c - '0');
            else if (*c != '0')
                return lb_fail(err, LB_EINVAL,
                               "amount '%.40s' has more than two decimals (cents)", s);
            nfrac++;
        } else {
            run++;
            whole = whole * 10 + (*c - '0');
            if (whole > LB_MONEY_MAX / scale)
                return lb_fail(err, LB_EINVAL, "amount '%.40s' is too large", s);
        }
    }
    if (groups && !in_frac && run != 3)
        goto invalid;
    for (int i = nfrac; i < places; i++)
        frac *= 10;
    *cents = (whole * scale + frac) * (neg ? -1 : 1);
    return LB_OK;
invalid:
    return lb_fail(err, LB_EINVAL,
                   "'%.40s' is not an amount; write it like 12500, $12,500.00 or 12.500,00 €",
                   s ? s : "");
}

/* ---- names for the nameless ---- */

/* s cut to fit max characters and size bytes, on a character boundary. */
static void copy_cut(char *dst, size_t size, const char *s, size_t max)
{
    size_t n = 0, chars = 0;
    while (s[n] && chars < max && n + 4 < size) {
        n++;
        while ((s[n] & 0xC0) == 0x80)
            n++;
        chars++;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

bool import_fallback_name(const char *email, const char *company, const char *phone, char *buf,
                          size_t n)
{
    const char *from = !text_blank(email) ? email : !text_blank(company) ? company : phone;
    if (text_blank(from)) {
        if (n)
            buf[0] = '\0';
        return false;
    }
    size_t len;
    from = text_trim(from, &len);
    char *t = malloc(len + 1);
    if (!t) {
        copy_cut(buf, n, "?", LB_SHORT_MAX);
        return true;
    }
    memcpy(t, from, len);
    t[len] = '\0';
    copy_cut(buf, n, t, LB_SHORT_MAX);
    free(t);
    return true;
}

/* ---- small helpers ---- */

/* A growable string. */
typedef struct {
    char *p;
    size_t len, cap;
} sbuf;

static bool sb_reserve(sbuf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
        return false;
    b->p = p;
    b->cap = cap;
    return true;
}

static bool sb_set(sbuf *b, const char *s, size_t n)
{
    b->len = 0;
    if (!sb_reserve(b, n))
        return false;
    memcpy(b->p, s, n);
    b->len = n;
    b->p[n] = '\0';
    return true;
}

static bool sb_add(sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (!sb_reserve(b, n))
        return false;
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
    return true;
}

/* s, cut on a character boundary to fit n bytes, in buf: for messages. */
static const char *clip(char *buf, size_t n, const char *s)
{
    size_t len = strlen(s);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

static void list_add(char *buf, int *n, const char *item)
{
    size_t used = strlen(buf), len = strlen(item);
    /* a name met twice (a repeated header) is listed once */
    for (const char *p = strstr(buf, item); p; p = strstr(p + 1, item))
        if ((p == buf || (p >= buf + 2 && p[-2] == ',' && p[-1] == ' ')) &&
            (p[len] == '\0' || (p[len] == ',' && p[len + 1] == ' ')))
            return;
    (*n)++;
    if (used >= 5 && strcmp(buf + used - 5, ", ...") == 0)
        return;
    if (used + len + 2 + 6 >= IMPORT_LIST_MAX) {
        snprintf(buf + used, IMPORT_LIST_MAX - used, "%s...", used ? ", " : "");
        return;
    }
    snprintf(buf + used, IMPORT_LIST_MAX - used, "%s%s", used ? ", " : "", item);
}

/* ---- names to numbers (the file's campaigns; its emails), keys ASCII
 * case folded as SQLite's NOCASE compares ---- */

typedef struct {
    char *key;
    int64_t id;
} camp_slot;

typedef struct {
    camp_slot *slots;
    size_t cap, n;
} camp_map;

static void fold(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static camp_slot *camp_find(camp_map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key || strcmp(m->slots[i].key, key) == 0)
            return &m->slots[i];
    }
}

static bool camp_put(camp_map *m, const char *key, int64_t id)
{
    if ((m->n + 1) * 2 > m->cap) {
        camp_map bigger = {calloc(m->cap ? m->cap * 2 : 64, sizeof(camp_slot)),
                           m->cap ? m->cap * 2 : 64, m->n};
        if (!bigger.slots)
            return false;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                *camp_find(&bigger, m->slots[i].key) = m->slots[i];
        free(m->slots);
        *m = bigger;
    }
    char *k = strdup(key);
    if (!k)
        return false;
    camp_slot *s = camp_find(m, key);
    s->key = k;
    s->id = id;
    m->n++;
    return true;
}

static void camp_free(camp_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
}

/* ---- the import ----
 *
 * Two phases.  Reading: the header is found (below a preamble), each row
 * is checked and turned into a lead, its duplicate found, and the lead
 * staged (import_stage_*) -- no write lock is held, so other processes
 * write on while a big file is read.  Publishing: one write transaction
 * creates the campaigns, adds the staged leads, applies the updates, and
 * commits (or, for a dry run, rolls back: a dry run does everything a
 * real run does). */

#define HEADER_SCAN 10 /* the header is one of the first records */

/* A record kept while the header is looked for. */
typedef struct {
    int n;
    char **f;
    long line;
} rec_copy;

/* A campaign of the file, by number (1, 2, ...). */
typedef struct {
    char *name;
    lb_channel channel; /* the first row's campaign_channel and campaign_cost */
    int64_t cost;
    int64_t id; /* at the publish */
} camp_entry;

typedef struct {
    lb_ctx *ctx;
    const lb_import_opts *o;
    lb_import_summary *sum;
    csv_reader *r;
    lb_import_stage *stage;
    const char *src;
    bool manager;
    bool own; /* the file is leadboard's export (it has stage_at) */
    int content_email; /* 1 + the column read as the email by its values (0: none) */
    bool decimal_comma;
    bool after_blank; /* the rows since the last lead are blank or a footer's */

    /* the header */
    int ncols;
    lb_import_field *col; /* per column, after permissions */
    int *rank;            /* per column: among its field's columns */
    char **colname;       /* per column, escaped, for notes and messages */
    char **header;        /* per column, as the file has it (the rejects file) */
    int *fcols[IMP_FIELD_COUNT]; /* each field's columns, best first */
    int nf[IMP_FIELD_COUNT];

    /* the current row */
    const char **row;
    int nrow, row_cap;
    long line;
    char *to_notes; /* per column: its value goes to the notes */
    sbuf val[IMP_FIELD_COUNT];
    int picked[IMP_FIELD_COUNT]; /* the column each field's value came from, -1 */
    rec_copy pending[HEADER_SCAN];
    int npending, next_pending;

    /* what the rows refer to */
    camp_map camp_keys; /* folded name key -> number */
    camp_entry *camps;
    int ncamps, camps_cap;
    int fixed_campaign; /* --campaign's number */
    lb_channel row_channel;
    int64_t row_cost;
    bool board_emails; /* the board had emails when the reading began */
    lb_user *users;
    size_t nusers, users_cap;
    bool users_oom;
    int64_t seq, nadd;

    csv_out rejects;
    lb_lead *lead, *old;
    sbuf name, notes, tmp, piece, email_key;
} imp;

static lb_status oom(lb_err *err)
{
    return lb_fail(err, LB_EDB, "out of memory");
}

/* Puts "SOURCE:LINE: " before err's message. */
static lb_status at_line(imp *im, long line, lb_status st, lb_err *err)
{
    char msg[LB_ERR_MAX];
    snprintf(msg, sizeof msg, "%s", err && err->msg[0] ? err->msg : lb_status_desc(st));
    return lb_fail(err, st, "%.200s:%ld: %s", im->src, line, msg);
}

/* Field i of the current row ("" past its end). */
static const char *cell(const imp *im, int i)
{
    return i >= 0 && i < im->nrow ? im->row[i] : "";
}

/* The column's name as the file has it (escaped), short enough for a message. */
static void label_col(const imp *im, int i, char *buf, size_t n)
{
    clip(buf, n < 41 ? n : 41, i < 0 ? "?" : im->colname[i]);
}

static void label_of(const imp *im, lb_import_field f, char *buf, size_t n)
{
    int i = im->picked[f] >= 0 ? im->picked[f] : im->nf[f] ? im->fcols[f][0] : -1;
    label_col(im, i, buf, n);
}

static lb_status audit(imp *im, const char *entity, int64_t id, int64_t lead_id, const char *action,
                       const char *field, const char *old_value, const char *new_value, lb_err *err)
{
    char note[256];
    snprintf(note, sizeof note, "imported from %.200s:%ld", im->src, im->line);
    lb_event ev = {entity, id, lead_id, action, field, old_value, new_value, note};
    return event_insert(im->ctx->db, im->ctx->now_iso, im->ctx->actor.id, im->ctx->os_login, &ev,
                        err);
}

static int user_add_cb(const lb_user *u, void *ud)
{
    imp *im = ud;
    if (im->nusers == im->users_cap) {
        size_t cap = im->users_cap ? im->users_cap * 2 : 16;
        lb_user *p = realloc(im->users, cap * sizeof *p);
        if (!p) {
            im->users_oom = true;
            return 1;
        }
        im->users = p;
        im->users_cap = cap;
    }
    im->users[im->nusers++] = *u;
    return 0;
}

static int user_cmp(const void *a, const void *b)
{
    return strcmp(((const lb_user *)a)->login, ((const lb_user *)b)->login);
}

static const lb_user *user_find(imp *im, const char *login)
{
    lb_user key;
    snprintf(key.login, sizeof key.login, "%s", login);
    if (strlen(login) > LB_LOGIN_MAX || !im->nusers)
        return NULL;
    return bsearch(&key, im->users, im->nusers, sizeof key, user_cmp);
}

/* ---- reading records ---- */

/* The next record into im->row: 1, 0 at the end, -1 on malformed CSV
 * (err says where). */
static int next_record(imp *im, lb_err *err)
{
    if (im->next_pending < im->npending) {
        rec_copy *c = &im->pending[im->next_pending++];
        if (c->n > im->row_cap) {
            const char **p = realloc(im->row, sizeof *p * (size_t)c->n);
            if (!p)
                { oom(err); return -1; }
            im->row = p;
            im->row_cap = c->n;
        }
        for (int i = 0; i < c->n; i++)
            im->row[i] = c->f[i];
        im->nrow = c->n;
        im->line = c->line;
    } else {
        int k = csv_next(im->r, err);
        if (k <= 0) {
            if (k < 0)
                at_line(im, csv_error_line(im->r), LB_EINVAL, err);
            return k;
        }
        int n = csv_nfields(im->r);
        if (n > im->row_cap) {
            const char **p = realloc(im->row, sizeof *p * (size_t)n);
            if (!p)
                { oom(err); return -1; }
            im->row = p;
            im->row_cap = n;
        }
        for (int i = 0; i < n; i++)
            im->row[i] = csv_field(im->r, i);
        im->nrow = n;
        im->line = csv_record_line(im->r);
    }
    /* leadboard's export guards formulas (csv_write.h): taken off again */
    if (im->own)
        for (int i = 0; i < im->nrow; i++)
            im->row[i] = csv_unguard(im->row[i]);
    return 1;
}

static bool keep_record(rec_copy *c, csv_reader *r)
{
    c->n = csv_nfields(r);
    c->line = csv_record_line(r);
    c->f = calloc((size_t)(c->n ? c->n : 1), sizeof *c->f);
    if (!c->f)
        return false;
    for (int i = 0; i < c->n; i++)
        if (!(c->f[i] = strdup(csv_field(r, i))))
            return false;
    return true;
}

static void free_record(rec_copy *c)
{
    for (int i = 0; c->f && i < c->n; i++)
        free(c->f[i]);
    free(c->f);
    c->f = NULL;
}

/* ---- the header ---- */

/* Finds the header among the first records: the first that names a person
 * (a name, email, company or phone column) and maps two known columns,
 * else the first that names a person at all.  The records above it are a
 * preamble ("Exported by ...", a report's title); the kept ones below it
 * are the first rows. */
static bool looks_like_email(const char *s);

/* A header names its columns: a record with an address in it is data
 * (Calendly's answers, "Company", "Job Title", beside the invitee's). */
static bool holds_address(const rec_copy *c)
{
    for (int j = 0; j < c->n; j++)
        if (looks_like_email(c->f[j]))
            return true;
    return false;
}

static lb_status find_header(imp *im, int *at, lb_err *err)
{
    int first_who = -1;
    *at = -1;
    for (int k = 0; k < HEADER_SCAN && *at < 0; k++) {
        int got = csv_next(im->r, err);
        if (got < 0)
            return at_line(im, csv_error_line(im->r), LB_EINVAL, err);
        if (got == 0)
            break;
        if (!keep_record(&im->pending[im->npending++], im->r))
            return oom(err);
        rec_copy *c = &im->pending[im->npending - 1];
        bool who;
        if (holds_address(c))
            continue;
        int score = import_header_score((const char *const *)c->f, c->n, &who);
        if (who && score >= 2)
            *at = k;
        else if (who && first_who < 0)
            first_who = k;
    }
    if (im->npending == 0)
        return lb_fail(err, LB_EINVAL,
                       "%.200s: the file is empty; expected a header row such as "
                       "'First Name,Last Name,Email,Company' and a row per lead",
                       im->src);
    if (*at < 0)
        *at = first_who;
    return LB_OK;
}

/* An address: text, one @, text with a dot in it, no spaces. */
static bool looks_like_email(const char *s)
{
    size_t n;
    s = text_trim(s, &n);
    const char *at = memchr(s, '@', n);
    if (!at || at == s || memchr(at + 1, '@', n - (size_t)(at + 1 - s)))
        return false;
    const char *dot = memchr(at + 1, '.', n - (size_t)(at + 1 - s));
    if (!dot || dot == at + 1 || dot == s + n - 1)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ' || s[i] == '\t' || s[i] == ',' || s[i] == ';')
            return false;
    return true;
}

/* When no header names the person in words we know (an address book in
 * another language): the first record with a column whose values below
 * it, in the rows kept, are all addresses (one at least) is the header,
 * and that column is the email.  Returns the record, or -1. */
static int header_by_content(imp *im, int *col)
{
    for (int k = 0; k + 1 < im->npending; k++) {
        const rec_copy *h = &im->pending[k];
        for (int j = 0; j < h->n; j++) {
            if (looks_like_email(h->f[j]))
                continue;
            int emails = 0, others = 0;
            for (int r = k + 1; r < im->npending; r++) {
                const rec_copy *c = &im->pending[r];
                if (j >= c->n || text_blank(c->f[j]))
                    continue;
                if (looks_like_email(c->f[j]))
                    emails++;
                else
                    others++;
            }
            if (emails > 0 && others == 0) {
                *col = j;
                return k;
            }
        }
    }
    return -1;
}

static lb_status no_person_column(imp *im, const rec_copy *h, lb_err *err)
{
    const char *one = h->n == 1 ? h->f[0] : "";
    if (strchr(one, ';') || strchr(one, '\t') || strchr(one, '|')) {
        lb_fail(err, LB_EINVAL,
                "the header is one column with %s in it: give the delimiter with --delimiter, "
                "or save the file as comma-separated CSV",
                strchr(one, ';') ? "semicolons" : strchr(one, '\t') ? "tabs" : "bars");
        return at_line(im, h->line, LB_EINVAL, err);
    }
    char cols[256] = "";
    for (int i = 0; i < h->n && strlen(cols) < 200; i++) {
        char name[41];
        char *shown = text_escape_dup(h->f[i], false);
        snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%s", i ? ", " : "",
                 clip(name, sizeof name, shown ? shown : "?"));
        free(shown);
    }
    lb_fail(err, LB_EINVAL,
            "no column names the person: the header (one of the first %d lines) needs Name, "
            "First Name and Last Name, Email, Company or Phone; this line has %s",
            HEADER_SCAN, cols[0] ? cols : "nothing");
    return at_line(im, h->line, LB_EINVAL, err);
}

/* Each field's columns, best first (rank, then the file's order); the
 * header must name the person somehow. */
static lb_status field_columns(imp *im, const rec_copy *h, lb_err *err)
{
    bool who = false;
    for (int f = 0; f < IMP_FIELD_COUNT; f++) {
        im->fcols[f] = malloc((size_t)(im->ncols ? im->ncols : 1) * sizeof *im->fcols[f]);
        if (!im->fcols[f])
            return oom(err);
        for (int rank = 0; rank <= 1; rank++)
            for (int i = 0; i < im->ncols; i++)
                if ((int)im->col[i] == f && im->rank[i] == rank && f > IMP_IGNORED)
                    im->fcols[f][im->nf[f]++] = i;
        who = who || (im->nf[f] && names_person((lb_import_field)f));
    }
    return who ? LB_OK : no_person_column(im, h, err);
}

/* What each column of the header is.  Columns of one field are kept in
 * rank order, then the file's. */
static lb_status map_columns(imp *im, const rec_copy *h, lb_err *err)
{
    im->ncols = h->n;
    size_t n = (size_t)(h->n ? h->n : 1);
    im->col = calloc(n, sizeof *im->col);
    im->rank = calloc(n, sizeof *im->rank);
    im->colname = calloc(n, sizeof *im->colname);
    im->header = calloc(n, sizeof *im->header);
    im->to_notes = calloc(n, 1);
    if (!im->col || !im->rank || !im->colname || !im->header || !im->to_notes)
        return oom(err);
    for (int i = 0; i < im->ncols; i++) {
        int rank;
        lb_import_field f = map_header(h->f[i], &rank);
        im->own = im->own || f == IMP_STAGE_AT;
        im->col[i] = f;
        im->rank[i] = rank;
    }
    if (im->content_email > 0 && im->col[im->content_email - 1] == IMP_UNKNOWN) {
        int j = im->content_email - 1;
        im->col[j] = IMP_EMAIL;
        char *shown = text_escape_dup(text_blank(h->f[j]) ? "(no name)" : h->f[j], false);
        snprintf(im->sum->email_by_content, sizeof im->sum->email_by_content, "%s",
                 shown ? shown : "?");
        free(shown);
    }
    for (int i = 0; i < im->ncols; i++) {
        const char *raw = h->f[i];
        char name[32];
        snprintf(name, sizeof name, "column %d", i + 1);
        im->header[i] = strdup(raw);
        /* a header name is shown and stored under the output rule */
        im->colname[i] = text_blank(raw) ? strdup(name) : text_escape_dup(raw, false);
        if (!im->header[i] || !im->colname[i])
            return oom(err);
        lb_import_field f = im->col[i];
        /* In leadboard's own export, the id is the old board's and the
         * pipeline columns are restored for a manager and left out for
         * marketing.  In any other file an ID, Stage or Owner column is the
         * CRM's own, kept in the notes. */
        if (f == IMP_IGNORED && !im->own)
            f = IMP_UNKNOWN;
        if (pipeline_field(f) && !im->own)
            f = IMP_UNKNOWN;
        if (pipeline_field(f) && !im->manager) {
            im->sum->pipeline_ignored = true;
            f = IMP_IGNORED;
        }
        if (f == IMP_CAMPAIGN && im->o->campaign)
            f = IMP_UNKNOWN; /* --campaign wins; the row's own is kept in the notes */
        if (f == IMP_UNKNOWN)
            list_add(im->sum->unknown_columns, &im->sum->unknown_columns_n, im->colname[i]);
        im->col[i] = f;
    }
    return field_columns(im, h, err);
}

static lb_status write_rejects_header(imp *im, lb_err *err);

/* Finds and reads the header; the records above it are a preamble. */
static lb_status read_header(imp *im, lb_err *err)
{
    int at;
    lb_status st = find_header(im, &at, err);
    if (st != LB_OK)
        return st;
    int by_content;
    if (at < 0 && (at = header_by_content(im, &by_content)) >= 0)
        im->content_email = by_content + 1;
    if (at < 0) { /* say what the likeliest header has */
        int best = 0, best_score = -1;
        for (int k = 0; k < im->npending; k++) {
            bool who;
            int score = import_header_score((const char *const *)im->pending[k].f,
                                            im->pending[k].n, &who);
            if (score > best_score) {
                best = k;
                best_score = score;
            }
        }
        return no_person_column(im, &im->pending[best], err);
    }
    const rec_copy *h = &im->pending[at];
    im->sum->header_line = h->line;
    if ((st = map_columns(im, h, err)) != LB_OK)
        return st;
    im->next_pending = at + 1;
    return write_rejects_header(im, err);
}

/* ---- a row's values ---- */

/* The trimmed value of the column in b. */
static const char *trimmed(sbuf *b, const char *s)
{
    size_t n;
    s = text_trim(s, &n);
    return sb_set(b, s, n) ? b->p : NULL;
}

/* A one-line field's value as one line: a tab is a space, and so is a
 * line break (a cell typed with Alt+Enter: "Anna\nBerg"), runs of them
 * one space -- except where a break separates values (two phones in one
 * cell: first_of_many takes the first), when keep_breaks. */
static void one_line(sbuf *b, bool keep_breaks)
{
    size_t w = 0;
    bool gap = false;
    for (size_t r = 0; r < b->len; r++) {
        char c = b->p[r];
        bool brk = c == '\r' || c == '\n';
        if (c == '\t' || (brk && !keep_breaks)) {
            gap = true;
            continue;
        }
        if (gap && w > 0 && b->p[w - 1] != ' ' && c != ' ' && !brk)
            b->p[w++] = ' ';
        gap = false;
        b->p[w++] = c;
    }
    b->p[w] = '\0';
    b->len = w;
}

/* Field f of the row: the first of its columns with a value (trimmed),
 * NULL when none has one.  The others' values, where they differ, go to
 * the notes. */
static const char *pick(imp *im, lb_import_field f)
{
    const char *got = NULL;
    im->picked[f] = -1;
    for (int k = 0; k < im->nf[f]; k++) {
        int i = im->fcols[f][k];
        const char *v = cell(im, i);
        if (text_blank(v))
            continue;
        if (!got) {
            /* leadboard's export is restored as it was, spaces and all */
            got = im->own ? (sb_set(&im->val[f], v, strlen(v)) ? im->val[f].p : NULL)
                          : trimmed(&im->val[f], v);
            im->picked[f] = i;
            if (!got)
                return NULL;
            if (f != IMP_NOTES)
                one_line(&im->val[f], f == IMP_PHONE || f == IMP_MOBILE || f == IMP_EMAIL);
            /* Notion's relations: "Sato KK (https://www.notion.so/...)"; the
             * link stays in the notes */
            char *link = f != IMP_NOTES && !im->own ? strstr(im->val[f].p, " (http") : NULL;
            if (link && link > im->val[f].p && im->val[f].p[im->val[f].len - 1] == ')' &&
                !strchr(link + 2, ' ')) {
                *link = '\0';
                im->val[f].len = (size_t)(link - im->val[f].p);
                im->to_notes[i] = 1;
            }
            continue;
        }
        size_t n;
        const char *t = text_trim(v, &n);
        if (n != im->val[f].len || memcmp(t, got, n) != 0)
            im->to_notes[i] = 1;
    }
    return got;
}

/* The value picked for f does not fit its field: it goes to the notes. */
static void keep_in_notes(imp *im, lb_import_field f)
{
    if (im->picked[f] >= 0)
        im->to_notes[im->picked[f]] = 1;
}

/* Checks a value under its column's name (control characters: a bad row). */
static lb_status check_field(imp *im, lb_import_field f, const char *v, size_t max,
                             bool multiline, lb_err *err)
{
    if (text_check("", v, max, multiline, NULL) == LB_OK)
        return LB_OK;
    char label[48];
    label_of(im, f, label, sizeof label);
    return text_check(label, v, max, multiline, err);
}

/* Copies a value that fits (text_check counted its characters). */
static void copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* "Mr.", "Dr", "Frau": Outlook's Title column holds these, not a job. */
static bool salutation(const char *v)
{
    static const char *const words[] = {"mr",   "mrs",  "ms",   "miss", "mx",  "dr",  "prof",
                                        "sir",  "herr", "frau", "m",    "mme", "mlle", "sr",
                                        "sra",  "srta", "sig",  "sigra"};
    char w[8];
    size_t n = 0;
    for (const char *p = v; *p; p++) {
        if (*p == '.' || *p == ' ')
            continue;
        if (n + 1 >= sizeof w || !is_letter((unsigned char)*p))
            return false;
        w[n++] = (char)(*p | 0x20);
    }
    w[n] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(w, words[i]))
            return true;
    return false;
}

/* A short text field (company, title): too long for the field, it is kept
 * whole in the notes instead. */
static lb_status row_short(imp *im, lb_import_field f, char *dst, size_t size, size_t max,
                           lb_err *err)
{
    const char *v = pick(im, f);
    dst[0] = '\0';
    if (!v)
        return LB_OK;
    lb_status st = check_field(im, f, v, (size_t)-1 / 2, false, err);
    if (st != LB_OK)
        return st;
    if (utf8_chars(v) > max || (f == IMP_TITLE && salutation(v)))
        keep_in_notes(im, f);
    else
        copy(dst, size, v);
    return LB_OK;
}

/* A row with a Name and other names in First and Last Name columns
 * (Invoice Ninja's client and its contact): those go to the notes. */
static void keep_name_parts(imp *im, const char *name)
{
    const char *first = pick(im, IMP_FIRST_NAME), *last = pick(im, IMP_LAST_NAME);
    if (!first && !last)
        return;
    size_t nf = first ? strlen(first) : 0, nl = last ? strlen(last) : 0, n = strlen(name);
    bool same = (!first || strncasecmp(name, first, nf) == 0) &&
                (!last || (n >= nl && strcasecmp(name + n - nl, last) == 0));
    if (!same) {
        keep_in_notes(im, IMP_FIRST_NAME);
        keep_in_notes(im, IMP_LAST_NAME);
    }
}

/* The name: Name, else First Name + Last Name.  A name longer than a name
 * may be is cut, and kept whole in the notes. */
static lb_status row_name(imp *im, lb_lead *l, lb_err *err)
{
    lb_status st;
    const char *v = pick(im, IMP_NAME);
    lb_import_field f = IMP_NAME;
    if (!v) {
        const char *first = pick(im, IMP_FIRST_NAME), *last = pick(im, IMP_LAST_NAME);
        if (!sb_set(&im->name, "", 0) || (first && !sb_add(&im->name, first)) ||
            (last && ((first && !sb_add(&im->name, " ")) || !sb_add(&im->name, last))))
            return oom(err);
        v = im->name.p;
        f = first ? IMP_FIRST_NAME : IMP_LAST_NAME;
    }
    l->name[0] = '\0';
    if (f == IMP_NAME)
        keep_name_parts(im, v);
    if (!*v)
        return LB_OK;
    if ((st = check_field(im, f, v, (size_t)-1 / 2, false, err)) != LB_OK)
        return st;
    if (utf8_chars(v) > LB_SHORT_MAX) {
        keep_in_notes(im, f);
        if (f != IMP_NAME)
            keep_in_notes(im, f == IMP_FIRST_NAME ? IMP_LAST_NAME : IMP_FIRST_NAME);
    }
    copy_cut(l->name, sizeof l->name, v, LB_SHORT_MAX);
    return LB_OK;
}

/* Several values in one cell: Google's "a@x ::: b@y", or a CRM's JSON
 * list ('[{"value":"+1 555","label":"work"}]'): the first; the cell goes
 * to the notes. */
static const char *first_of_many(imp *im, lb_import_field f, const char *v)
{
    const char *sep = strstr(v, " ::: "), *from = v, *brk = strpbrk(v, "\r\n");
    if (brk && (!sep || brk < sep))
        sep = brk; /* one value a line */
    if ((*v == '[' || *v == '{') && (from = strstr(v, "\"value\"")) != NULL) {
        from += 7;
        while (*from == ' ' || *from == ':')
            from++;
        if (*from++ == '"' && (sep = strchr(from, '"')) != NULL) {
            keep_in_notes(im, f);
            return sb_set(&im->piece, from, (size_t)(sep - from)) ? im->piece.p : NULL;
        }
        return v;
    }
    if (!sep)
        return v;
    keep_in_notes(im, f);
    if (!sb_set(&im->piece, v, (size_t)(sep - v)))
        return NULL;
    return im->piece.p;
}

/* The phone: Phone, else Mobile; another number goes to the notes. */
static lb_status row_phone(imp *im, lb_lead *l, lb_err *err)
{
    lb_import_field f = IMP_PHONE;
    const char *v = pick(im, IMP_PHONE), *mobile = pick(im, IMP_MOBILE);
    if (!v) {
        v = mobile;
        f = IMP_MOBILE;
    } else if (mobile && strcmp(mobile, v) != 0) {
        keep_in_notes(im, IMP_MOBILE);
    }
    l->phone[0] = '\0';
    if (!v)
        return LB_OK;
    if (!(v = first_of_many(im, f, v)))
        return oom(err);
    /* the apostrophe exports put before "+1 555..." to keep a spreadsheet
     * from reading it as a formula or a number */
    if (v[0] == '\'' && (v[1] == '+' || v[1] == '(' || is_digit((unsigned char)v[1])))
        v++;
    lb_status st = check_field(im, f, v, (size_t)-1 / 2, false, err);
    if (st != LB_OK)
        return st;
    if (utf8_chars(v) > LB_PHONE_MAX)
        keep_in_notes(im, f); /* "+1 555 0100 ext. 12, ask for Bo" */
    else
        copy(l->phone, sizeof l->phone, v);
    return LB_OK;
}

static bool email_char(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("._%+-@!#$&'*/=?^`{|}~", c);
}

/* The address in a cell: the cell itself, or the first word with an '@'
 * ("Ana <ana@x.test>", a JSON list); NULL when it has none. */
static const char *find_address(imp *im, const char *v)
{
    lb_err ignored;
    if (email_check("", v, &ignored) == LB_OK && !strpbrk(v, "<>\"(),;:[]"))
        return v;
    for (const char *at = strchr(v, '@'); at; at = strchr(at + 1, '@')) {
        const char *a = at, *b = at + 1;
        while (a > v && email_char((unsigned char)a[-1]) && a[-1] != '@')
            a--;
        while (*b && email_char((unsigned char)*b) && *b != '@')
            b++;
        while (b > at + 1 && strchr(".-", b[-1]))
            b--;
        if (a == at || b == at + 1 || !memchr(at, '.', (size_t)(b - at)))
            continue;
        if (!sb_set(&im->piece, a, (size_t)(b - a)))
            return NULL;
        return im->piece.p;
    }
    return NULL;
}

/* The email: the first of the Email columns with an address.  A cell that
 * holds more than the address is kept in the notes; one with no address
 * ("n/a") is only kept there. */
static lb_status row_email(imp *im, lb_lead *l, lb_err *err)
{
    const char *v = pick(im, IMP_EMAIL);
    l->email[0] = '\0';
    if (!v)
        return LB_OK;
    if (!(v = first_of_many(im, IMP_EMAIL, v)))
        return oom(err);
    lb_status st = check_field(im, IMP_EMAIL, v, (size_t)-1 / 2, false, err);
    if (st != LB_OK)
        return st;
    const char *a = find_address(im, v);
    if (!a || utf8_chars(a) > LB_EMAIL_MAX) {
        keep_in_notes(im, IMP_EMAIL);
        return LB_OK;
    }
    if (a != v && strcmp(a, v) != 0)
        keep_in_notes(im, IMP_EMAIL);
    copy(l->email, sizeof l->email, a);
    return LB_OK;
}

/* What exports write for "no value": "-", "N/A", "none", "TBD"... */
static bool placeholder(const char *v)
{
    static const char *const words[] = {"-",    "--",  "\xE2\x80\x94", "\xE2\x80\x93", "n/a",
                                        "na",   "none", "null", "nil", "tbd", "?"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(v, words[i]) == 0)
            return true;
    return false;
}

/* Money in field f; an unreadable or negative amount is a bad row. */
/* What an amount says of the file's decimal mark: the mark both
 * conventions read the same way (',' for "12.500,00" or "999,50", '.' for
 * "1,234.56" or "12.5"), 0 when it takes the file's ("1.234", "12500"). */
static char decimal_hint(const char *v)
{
    char core[64];
    bool neg;
    int exp;
    if (!money_core(v, core, sizeof core, &neg, &exp))
        return 0;
    char dot = money_decimal_mark(core, false), comma = money_decimal_mark(core, true);
    return dot == comma ? dot : 0;
}

static lb_status row_money(imp *im, lb_import_field f, bool *has, int64_t *cents, lb_err *err)
{
    const char *v = pick(im, f);
    *has = false;
    if (!v || placeholder(v))
        return LB_OK;
    /* The file's convention, from its amounts that show it: a German
     * export's "1.234" after its "12.500,00" is one thousand two hundred
     * and thirty-four, whatever the delimiter. */
    char hint = decimal_hint(v);
    if (hint)
        im->decimal_comma = hint == ',';
    char label[48];
    lb_err inner;
    label_of(im, f, label, sizeof label);
    if (import_money_parse(v, im->decimal_comma, cents, &inner) != LB_OK)
        return lb_fail(err, LB_EINVAL, "%s: %s", label, inner.msg);
    if (*cents < 0)
        return lb_fail(err, LB_EINVAL, "%s '%.40s' is negative; a %s is 0 or more", label, v,
                       f == IMP_VALUE ? "lead's value" : "campaign's cost");
    *has = true;
    return LB_OK;
}


/* The number of campaign `name` among the file's, adding it (with the
 * row's channel and cost) when it is new. */
static lb_status campaign_number(imp *im, const char *name, int *num, lb_err *err)
{
    size_t n = strlen(name);
    if (!sb_reserve(&im->tmp, n + 1))
        return oom(err);
    im->tmp.len = text_name_key(name, im->tmp.p, n + 1);
    fold(im->tmp.p);
    camp_slot *s = camp_find(&im->camp_keys, im->tmp.p);
    if (s && s->key) {
        *num = (int)s->id;
        return LB_OK;
    }
    if (im->ncamps == im->camps_cap) {
        int cap = im->camps_cap ? im->camps_cap * 2 : 16;
        camp_entry *c = realloc(im->camps, sizeof *c * (size_t)cap);
        if (!c)
            return oom(err);
        im->camps = c;
        im->camps_cap = cap;
    }
    camp_entry *c = &im->camps[im->ncamps];
    if (!(c->name = strdup(name)))
        return oom(err);
    c->channel = im->row_channel;
    c->cost = im->row_cost;
    c->id = 0;
    *num = ++im->ncamps;
    return camp_put(&im->camp_keys, im->tmp.p, *num) ? LB_OK : oom(err);
}

/* The row's campaign (NULL: none): --campaign, else the row's own, with
 * its campaign_channel and campaign_cost for when the import creates it. */
static lb_status row_campaign(imp *im, const char **name, lb_err *err)
{
    lb_status st;
    const char *v;
    *name = im->o->campaign;
    im->row_channel = CHANNEL_OTHER;
    im->row_cost = 0;
    if (!*name && (v = pick(im, IMP_CAMPAIGN))) {
        if ((st = check_field(im, IMP_CAMPAIGN, v, (size_t)-1 / 2, false, err)) != LB_OK)
            return st;
        if (utf8_chars(v) > LB_SHORT_MAX)
            keep_in_notes(im, IMP_CAMPAIGN);
        else
            *name = v;
    }
    if ((v = pick(im, IMP_CAMPAIGN_CHANNEL))) {
        int ch;
        char folded[32], label[48];
        clip(folded, sizeof folded, v);
        fold(folded);
        lb_err inner;
        if (vocab_parse(&lb_channels, folded, &ch, &inner) != LB_OK) {
            label_of(im, IMP_CAMPAIGN_CHANNEL, label, sizeof label);
            return lb_fail(err, LB_EINVAL, "%s: %s", label, inner.msg);
        }
        im->row_channel = (lb_channel)ch;
    }
    bool has;
    return row_money(im, IMP_CAMPAIGN_COST, &has, &im->row_cost, err);
}

/* One of leadboard's own timestamp columns, into buf ("" when empty). */
static lb_status timestamp(imp *im, lb_import_field f, char *buf, lb_err *err)
{
    const char *v = pick(im, f);
    buf[0] = '\0';
    if (!v)
        return LB_OK;
    lb_time t;
    lb_err inner;
    if (time_parse(v, &t, &inner) != LB_OK) {
        char label[48];
        label_of(im, f, label, sizeof label);
        return lb_fail(err, LB_EINVAL, "%s: %s", label, inner.msg);
    }
    time_format(t, buf);
    return LB_OK;
}

/* created_at: in leadboard's export a time it restores exactly (a bad one
 * is a bad row); in another file's created_at column, a time if it reads
 * as one ("2024-01-15 10:30:00" too), else kept in the notes. */
static lb_status row_created(imp *im, lb_lead *l, lb_err *err)
{
    if (im->own)
        return timestamp(im, IMP_CREATED_AT, l->created_at, err);
    const char *v = pick(im, IMP_CREATED_AT);
    lb_time t;
    lb_err ignored;
    l->created_at[0] = '\0';
    if (!v)
        return LB_OK;
    char iso[32];
    clip(iso, sizeof iso, v);
    if (strlen(iso) > 10 && iso[10] == ' ')
        iso[10] = 'T';
    if (time_parse(iso, &t, &ignored) == LB_OK)
        time_format(t, l->created_at);
    else
        keep_in_notes(im, IMP_CREATED_AT);
    return LB_OK;
}

static lb_status person(imp *im, lb_import_field f, int64_t *id, lb_team *team, lb_err *err)
{
    const char *v = pick(im, f);
    *id = 0;
    if (!v)
        return LB_OK;
    const lb_user *u = user_find(im, v);
    if (!u) {
        char label[48], login[41];
        label_of(im, f, label, sizeof label);
        clip(login, sizeof login, v);
        return lb_fail(err, LB_EINVAL,
                       "%s: no user '%s'; a manager's import restores this column: add the user "
                       "('leadboard user add %s --team TEAM'), or rename the column to keep it "
                       "in the notes",
                       label, login, strpbrk(login, " \t,") ? "LOGIN" : login);
    }
    *id = u->id;
    *team = u->team;
    return LB_OK;
}

static lb_status pipeline_stage(imp *im, lb_lead *l, lb_err *err)
{
    const char *v = pick(im, IMP_STAGE);
    l->stage = STAGE_NURTURE;
    if (!v)
        return LB_OK;
    char given[41], folded[41];
    clip(given, sizeof given, v);
    clip(folded, sizeof folded, v);
    fold(folded);
    int s = vocab_find(&lb_stages, folded);
    if (s < 0) {
        char label[48];
        label_of(im, IMP_STAGE, label, sizeof label);
        return lb_fail(err, LB_EINVAL,
                       "%s '%s' is not a stage (nurture, handed_off, accepted, contacted, "
                       "qualified, proposal, won, lost); a manager's import restores this "
                       "column: fix it, or rename the column to keep it in the notes",
                       label, given);
    }
    l->stage = (lb_stage)s;
    return LB_OK;
}

static lb_status pipeline_people(imp *im, lb_lead *l, lb_err *err)
{
    lb_status st;
    lb_team team = TEAM_SALES;
    if ((st = person(im, IMP_OWNER, &l->owner_id, &team, err)) != LB_OK)
        return st;
    if (l->owner_id && team != TEAM_SALES)
        return lb_fail(err, LB_EINVAL, "owner %s is in %s, not sales; leads are owned by sales reps",
                       im->val[IMP_OWNER].p, team_name(team));
    if (l->stage == STAGE_NURTURE && l->owner_id)
        return lb_fail(err, LB_EINVAL,
                       "a lead in nurture has no owner (it has not been handed off); clear the "
                       "owner or give its stage");
    if (l->stage != STAGE_NURTURE && !l->owner_id)
        return lb_fail(err, LB_EINVAL, "a lead in %s needs its owner (a sales rep's login)",
                       stage_name(l->stage));
    if (im->nf[IMP_MARKETER] && (st = person(im, IMP_MARKETER, &l->marketer_id, &team, err)) != LB_OK)
        return st;
    return LB_OK;
}

static lb_status pipeline_times(imp *im, lb_lead *l, lb_err *err)
{
    lb_status st;
    if ((st = timestamp(im, IMP_STAGE_AT, l->stage_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_HANDED_OFF_AT, l->handed_off_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_ACCEPTED_AT, l->accepted_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_FIRST_TOUCH_AT, l->first_touch_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_LAST_TOUCH_AT, l->last_touch_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_NEXT_DUE_AT, l->next_due_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_CLOSED_AT, l->closed_at, err)) != LB_OK)
        return st;
    if (!l->stage_at[0])
        snprintf(l->stage_at, sizeof l->stage_at, "%s", l->created_at);
    return LB_OK;
}

/* What the stage and the hand-off and acceptance times prove is a floor
 * for the furthest point on the path; an exported furthest (its stage
 * name) restores it exactly.  Then rejections and stars. */
static lb_status pipeline_counts(imp *im, lb_lead *l, lb_err *err)
{
    int furthest = l->stage == STAGE_LOST ? STAGE_ACCEPTED : (int)l->stage;
    if (l->handed_off_at[0] && furthest < STAGE_HANDED_OFF)
        furthest = STAGE_HANDED_OFF;
    if (l->accepted_at[0] && furthest < STAGE_ACCEPTED)
        furthest = STAGE_ACCEPTED;
    const char *v = pick(im, IMP_FURTHEST);
    if (v) {
        int f = vocab_find(&lb_stages, v);
        if (f < 0 || f == STAGE_LOST)
            return lb_fail(err, LB_EINVAL,
                           "furthest '%.40s' is not a stage on the path (nurture .. won)", v);
        if (f > furthest)
            furthest = f;
    }
    l->furthest = furthest;
    if ((v = pick(im, IMP_REJECTIONS))) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 0 || n > 1000000 || !(*v >= '0' && *v <= '9'))
            return lb_fail(err, LB_EINVAL, "rejections '%.40s' is not a whole number", v);
        l->rejections = (int)n;
    }
    if ((v = pick(im, IMP_STARS))) {
        if (!(v[0] >= '1' && v[0] <= '5' && v[1] == '\0'))
            return lb_fail(err, LB_EINVAL, "stars '%.40s' is not 1 to 5", v);
        l->stars = v[0] - '0';
    }
    return LB_OK;
}

/* The stage, owner, marketer, reason and timestamps of a manager's import
 * of leadboard's export. */
static lb_status pipeline(imp *im, lb_lead *l, lb_err *err)
{
    lb_status st;
    if ((st = pipeline_stage(im, l, err)) != LB_OK || (st = pipeline_people(im, l, err)) != LB_OK)
        return st;
    const char *v = im->nf[IMP_REASON] ? cell(im, im->fcols[IMP_REASON][0]) : NULL;
    if (v && *v) {
        im->picked[IMP_REASON] = im->fcols[IMP_REASON][0];
        if ((st = check_field(im, IMP_REASON, v, LB_REASON_MAX, true, err)) != LB_OK)
            return st;
        copy(l->reason, sizeof l->reason, v);
    }
    if (l->stage == STAGE_WON && !l->has_value)
        return lb_fail(err, LB_EINVAL, "a won lead needs its value");
    if (l->stage == STAGE_LOST && text_blank(l->reason))
        return lb_fail(err, LB_EINVAL, "a lost lead needs its reason");
    if ((st = pipeline_times(im, l, err)) != LB_OK)
        return st;
    return pipeline_counts(im, l, err);
}

/* A lead whose notes had no room for every column kept in them. */
static void note_cut(imp *im)
{
    if (im->sum->notes_cut++ == 0)
        im->sum->notes_cut_line = im->line;
}

/* Whether an earlier column of the same name holds the same value (a
 * repeated header: its line is in the notes once). */
static bool said_before(imp *im, int i, const char *v)
{
    for (int j = 0; j < i; j++)
        if ((im->col[j] == IMP_UNKNOWN || im->to_notes[j]) &&
            strcmp(im->colname[j], im->colname[i]) == 0 && strcmp(cell(im, j), v) == 0)
            return true;
    return false;
}

/* The notes: the notes column (in leadboard's export as it was), then a
 * "Column: value" line per unknown column with a value, and per value of a
 * known column that the lead's fields did not take, while they fit. */
static lb_status row_notes(imp *im, lb_lead *l, lb_err *err)
{
    lb_status st;
    const char *v;
    if (im->own)
        v = im->nf[IMP_NOTES] ? cell(im, im->fcols[IMP_NOTES][0]) : NULL;
    else if ((v = pick(im, IMP_NOTES)) != NULL)
        v = cell(im, im->picked[IMP_NOTES]); /* whole, as it was */
    if (!sb_set(&im->notes, "", 0))
        return oom(err);
    if (v && *v) {
        if (im->own)
            im->picked[IMP_NOTES] = im->fcols[IMP_NOTES][0];
        if ((st = check_field(im, IMP_NOTES, v, (size_t)-1 / 2, true, err)) != LB_OK)
            return st;
        /* longer than a lead's notes (a whole mail thread): what fits, and
         * the summary says it was cut */
        size_t bytes = 0, chars = 0;
        while (v[bytes] && chars < LB_NOTES_MAX)
            if (((unsigned char)v[++bytes] & 0xC0) != 0x80)
                chars++;
        if (v[bytes])
            note_cut(im);
        if (!sb_set(&im->notes, v, bytes))
            return oom(err);
    }
    size_t chars = utf8_chars(im->notes.p);
    bool cut = false;
    for (int i = 0; i < im->ncols; i++) {
        const char *raw = cell(im, i);
        if ((im->col[i] != IMP_UNKNOWN && !im->to_notes[i]) || text_blank(raw))
            continue;
        const char *value = trimmed(&im->piece, raw), *label = im->colname[i];
        if (!value)
            return oom(err);
        if ((st = text_check(label, value, (size_t)-1 / 2, true, err)) != LB_OK)
            return st;
        if (said_before(im, i, raw))
            continue;
        size_t add = utf8_chars(label) + 2 + utf8_chars(value) + (im->notes.len ? 1 : 0);
        if (chars + add > LB_NOTES_MAX) {
            cut = true;
            continue;
        }
        if ((im->notes.len && !sb_add(&im->notes, "\n")) || !sb_add(&im->notes, label) ||
            !sb_add(&im->notes, ": ") || !sb_add(&im->notes, value))
            return oom(err);
        chars += add;
    }
    if (cut && (!v || utf8_chars(v) <= LB_NOTES_MAX))
        note_cut(im); /* once a lead */
    copy(l->notes, sizeof l->notes, im->notes.p);
    return LB_OK;
}

static void clear_lead(lb_lead *l)
{
    l->id = l->campaign_id = l->value = l->marketer_id = l->owner_id = 0;
    l->has_value = false;
    l->name[0] = l->company[0] = l->title[0] = l->email[0] = l->phone[0] = '\0';
    l->notes[0] = l->campaign[0] = l->marketer[0] = l->owner[0] = l->reason[0] = '\0';
    l->created_at[0] = l->stage_at[0] = l->handed_off_at[0] = l->accepted_at[0] = '\0';
    l->first_touch_at[0] = l->last_touch_at[0] = l->next_due_at[0] = l->closed_at[0] = '\0';
    l->updated_at[0] = l->updated_by[0] = '\0';
    l->stage = STAGE_NURTURE;
    l->furthest = l->rejections = l->stars = 0;
    l->version = l->updated_by_id = 0;
}

/* The who of a row: name, email, company, phone.  *empty when none is
 * there (the row names no one); a row with no name takes one from them. */
/* "Total", "Grand Total": a spreadsheet's sum under its rows. */
static bool total_word(const char *v)
{
    static const char *const words[] = {"total",  "totals", "grand total", "grand totals",
                                        "subtotal", "sum",  "summe",       "gesamt",
                                        "total g\xc3\xa9n\xc3\xa9ral", "totale"};
    size_t n;
    v = text_trim(v ? v : "", &n);
    char w[32];
    if (n == 0 || n >= sizeof w)
        return false;
    memcpy(w, v, n);
    w[n] = '\0';
    if (w[n - 1] == ':')
        w[n - 1] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(w, words[i]) == 0)
            return true;
    return false;
}

static lb_status row_person(imp *im, lb_lead *l, bool *empty, lb_err *err)
{
    lb_status st;
    if ((st = row_name(im, l, err)) != LB_OK || (st = row_email(im, l, err)) != LB_OK ||
        (st = row_short(im, IMP_COMPANY, l->company, sizeof l->company, LB_SHORT_MAX, err)) !=
            LB_OK ||
        (st = row_phone(im, l, err)) != LB_OK)
        return st;
    /* the company and phone as the row has them, even when too long for
     * their fields (then they are in the notes) */
    const char *company = im->picked[IMP_COMPANY] >= 0 ? im->val[IMP_COMPANY].p : NULL;
    const char *phone = l->phone[0]                   ? l->phone
                        : im->picked[IMP_PHONE] >= 0  ? im->val[IMP_PHONE].p
                        : im->picked[IMP_MOBILE] >= 0 ? im->val[IMP_MOBILE].p
                                                      : NULL;
    *empty = !l->name[0] && !import_fallback_name(l->email, company, phone, l->name, sizeof l->name);
    /* a totals row: nothing that reaches a person, and "Total" for a name */
    if (!*empty && !l->email[0] && !phone && (!company || total_word(company)) &&
        total_word(l->name)) {
        *empty = true;
        im->sum->total_rows++;
    }
    return LB_OK;
}

/* The row as a lead (not yet checked for a duplicate). */
static lb_status build_lead(imp *im, lb_lead *l, const char **campaign, bool *empty, lb_err *err)
{
    lb_status st;
    clear_lead(l);
    memset(im->to_notes, 0, (size_t)im->ncols);
    *campaign = NULL;
    if ((st = row_person(im, l, empty, err)) != LB_OK || *empty)
        return st;
    if ((st = row_short(im, IMP_TITLE, l->title, sizeof l->title, LB_SHORT_MAX, err)) != LB_OK ||
        (st = row_money(im, IMP_VALUE, &l->has_value, &l->value, err)) != LB_OK ||
        (st = row_campaign(im, campaign, err)) != LB_OK || (st = row_created(im, l, err)) != LB_OK)
        return st;
    if (!l->created_at[0])
        copy(l->created_at, sizeof l->created_at, im->ctx->now_iso);
    l->marketer_id = im->ctx->actor.id;
    if (im->manager) {
        if ((st = pipeline(im, l, err)) != LB_OK)
            return st;
    } else {
        copy(l->stage_at, sizeof l->stage_at, im->ctx->now_iso);
    }
    return row_notes(im, l, err);
}

/* ---- duplicates and staging ---- */

/* The row's duplicate: an earlier row of the file, else a lead of the
 * board, with the same email (ignoring case).  *found is false when none. */
static lb_status find_duplicate(imp *im, const char *email, lb_staged *dup, bool *found,
                                lb_err *err)
{
    lb_status st = import_stage_find(im->stage, email, dup, found, err);
    if (st != LB_OK || *found) {
        if (*found && dup->op == IMPORT_ADD) {
            dup->target_seq = dup->seq;
            dup->target_id = 0;
        }
        return st;
    }
    memset(dup, 0, sizeof *dup);
    if (!im->board_emails)
        return LB_OK;
    if ((st = lead_find_by_email(im->ctx->db, email, &dup->target_id, err)) != LB_OK)
        return st;
    *found = dup->target_id != 0;
    return LB_OK;
}

/* Stages the built lead: added, or (a duplicate) skipped, refused or an
 * update of the lead it repeats. */
static lb_status stage_row(imp *im, lb_lead *l, const char *campaign, lb_err *err)
{
    lb_status st;
    lb_staged meta = {.seq = ++im->seq, .line = im->line, .op = IMPORT_ADD};
    meta.notes_col = im->picked[IMP_NOTES] >= 0;
    if (l->email[0]) {
        lb_staged dup;
        bool found;
        if ((st = find_duplicate(im, l->email, &dup, &found, err)) != LB_OK)
            return st;
        if (found) {
            char email[61];
            clip(email, sizeof email, l->email);
            switch (im->o->on_duplicate) {
            case DUP_SKIP:
                im->sum->duplicates++;
                im->sum->skipped++;
                return LB_OK;
            case DUP_ERROR:
                if (dup.target_seq)
                    return lb_fail(err, LB_EINVAL, "duplicate of line %ld (same email %s)",
                                   dup.line, email);
                return lb_fail(err, LB_EINVAL,
                               "duplicate of lead %lld (same email %s); use --on-duplicate "
                               "skip or update",
                               (long long)dup.target_id, email);
            case DUP_UPDATE:
                meta.op = IMPORT_UPDATE;
                meta.target_id = dup.target_id;
                meta.target_seq = dup.target_seq;
                break;
            }
        }
    }
    int num = 0;
    if (campaign && (st = campaign_number(im, campaign, &num, err)) != LB_OK)
        return st;
    l->campaign_id = num;
    if (meta.op == IMPORT_ADD)
        meta.rank = ++im->nadd;
    return import_stage_add(im->stage, l, &meta, err);
}

/* ---- the rejects file ---- */

static lb_status flush_rejects(imp *im, bool all, lb_err *err)
{
    csv_out *o = &im->rejects;
    if (o->failed)
        return oom(err);
    if (!o->len || (!all && o->len < 65536))
        return LB_OK;
    if (im->o->rejects(im->o->rejects_ud, o->buf, o->len) != 0)
        return lb_fail(err, LB_EINVAL, "cannot write the rejects file; nothing was imported");
    csv_out_clear(o);
    return LB_OK;
}

/* The header as the file has it, and a reason column. */
static lb_status write_rejects_header(imp *im, lb_err *err)
{
    if (!im->o->rejects)
        return LB_OK;
    bool has_reason = false;
    im->rejects.verbatim = true;
    /* in the source's own delimiter, so that the spreadsheet that wrote it
     * opens its bad rows the same way (a ';' file in European Excel) */
    if (im->o->delimiter == ';' || im->o->delimiter == '|' || im->o->delimiter == '\t')
        im->rejects.delim = im->o->delimiter;
    for (int i = 0; i < im->ncols; i++) {
        csv_out_field(&im->rejects, im->header[i]);
        has_reason = has_reason || import_map_header(im->header[i]) == IMP_REASON;
    }
    csv_out_field(&im->rejects, has_reason ? "rejected_reason" : "reason");
    csv_out_end_record(&im->rejects);
    return flush_rejects(im, false, err);
}

/* A bad row, as it was read, with why (escaped: it is read on terminals). */
static lb_status reject_row(imp *im, const lb_err *why, lb_err *err)
{
    char *reason = text_escape_dup(why->msg, false);
    if (!reason)
        return oom(err);
    if (im->sum->rejected++ == 0) {
        im->sum->first_reject_line = im->line;
        snprintf(im->sum->first_reject, sizeof im->sum->first_reject, "%s", reason);
    }
    for (int i = 0; i < im->nrow || i < im->ncols; i++)
        csv_out_field(&im->rejects, cell(im, i));
    csv_out_field(&im->rejects, reason);
    csv_out_end_record(&im->rejects);
    free(reason);
    return flush_rejects(im, false, err);
}

/* ---- the rows ---- */

static bool row_blank(const imp *im)
{
    for (int i = 0; i < im->nrow; i++)
        if (!text_blank(im->row[i]))
            return false;
    return true;
}

/* Some tools end every data row with a comma: more fields than the header,
 * but empty ones lose nothing. */
static bool extra_fields_empty(const imp *im)
{
    if (im->nrow < im->ncols)
        return false;
    for (int i = im->ncols; i < im->nrow; i++)
        if (!text_blank(im->row[i]))
            return false;
    return true;
}

/* A row that is the header again, as when two exports are joined with cat
 * (the second one's BOM included). */
static bool repeats_header(const imp *im)
{
    if (im->nrow != im->ncols)
        return false;
    for (int i = 0; i < im->ncols; i++) {
        const char *v = im->row[i], *h = im->header[i];
        if (strncmp(v, "\xEF\xBB\xBF", 3) == 0)
            v += 3;
        if (strncmp(h, "\xEF\xBB\xBF", 3) == 0)
            h += 3;
        if (strcasecmp(v, h) != 0)
            return false;
    }
    return true;
}

/* One data row: empty, or a lead staged, or an error that refuses it. */
/* Below a blank row, a line with one value where the header has several:
 * a report's footer ("Confidential Information - Do Not Distribute",
 * "Generated By: ...") or a section's title, not a lead. */
static bool footer_line(const imp *im)
{
    if (!im->after_blank || im->ncols < 3 || im->nrow >= im->ncols)
        return false;
    int filled = 0;
    for (int i = 0; i < im->nrow; i++) {
        if (looks_like_email(im->row[i]))
            return false; /* a short row with an address is someone */
        filled += !text_blank(im->row[i]);
    }
    return filled <= 1;
}

static lb_status read_row(imp *im, lb_err *err)
{
    if (row_blank(im)) {
        im->sum->blank_rows++;
        im->sum->empty++;
        im->after_blank = true;
        return LB_OK;
    }
    if (footer_line(im)) {
        if (im->sum->footer_rows++ == 0)
            im->sum->footer_line = im->line;
        im->sum->empty++;
        return LB_OK;
    }
    im->after_blank = false;
    if (im->nrow != im->ncols && !extra_fields_empty(im))
        return lb_fail(err, LB_EINVAL,
                       "%d field%s, but the header has %d; a value with a delimiter, quote or "
                       "line break must be in double quotes",
                       im->nrow, im->nrow == 1 ? "" : "s", im->ncols);
    if (repeats_header(im))
        return lb_fail(err, LB_EINVAL,
                       "this row repeats the header (two files joined?); remove the line");
    const char *campaign;
    bool empty;
    lb_status st = build_lead(im, im->lead, &campaign, &empty, err);
    if (st != LB_OK)
        return st;
    if (empty) {
        im->sum->empty++;
        return LB_OK;
    }
    return stage_row(im, im->lead, campaign, err);
}

static lb_status read_rows(imp *im, lb_err *err)
{
    for (;;) {
        int k = next_record(im, err);
        if (k < 0)
            return err->status ? err->status : LB_EINVAL;
        if (k == 0)
            return flush_rejects(im, true, err);
        im->sum->rows++;
        lb_status st = read_row(im, err);
        if (st == LB_EINVAL && im->o->rejects)
            st = reject_row(im, err, err);
        else if (st != LB_OK)
            return at_line(im, im->line, st, err);
        if (st != LB_OK)
            return st;
    }
}

/* ---- the publish ---- */

/* The id of campaign number num, creating it (with its first row's
 * channel and cost, and its event) when the board has none by that name. */
static lb_status campaign_resolve(imp *im, int num, lb_err *err)
{
    camp_entry *e = &im->camps[num - 1];
    lb_campaign c;
    lb_err inner;
    lb_status st = campaign_get(im->ctx->db, e->name, &c, &inner);
    if (st == LB_ENOTFOUND) {
        if ((st = rules_permit(&im->ctx->actor, ACTION_CAMPAIGN_ADD, NULL, err)) != LB_OK)
            return st;
        memset(&c, 0, sizeof c);
        snprintf(c.name, sizeof c.name, "%s", e->name);
        c.channel = e->channel;
        c.cost = e->cost;
        snprintf(c.created_at, sizeof c.created_at, "%s", im->ctx->now_iso);
        if ((st = campaign_insert(im->ctx->db, &c, err)) != LB_OK)
            return st;
        char cost[32];
        money_format(c.cost, cost, sizeof cost);
        lb_event ev = {"campaign", c.id, 0, "create", "cost", NULL, cost, c.name};
        st = event_insert(im->ctx->db, im->ctx->now_iso, im->ctx->actor.id, im->ctx->os_login, &ev,
                          err);
        if (st != LB_OK)
            return st;
        char *shown = text_escape_dup(c.name, false);
        list_add(im->sum->created_campaigns, &im->sum->created_campaigns_n, shown ? shown : "?");
        free(shown);
    } else if (st != LB_OK) {
        return lb_fail(err, st, "%s", inner.msg);
    }
    e->id = c.id;
    /* the campaign's own spelling, for the audit of updates */
    free(e->name);
    e->name = strdup(c.name);
    if (!e->name)
        return oom(err);
    return import_stage_campaign(im->stage, num, c.id, err);
}

/* Whether text holds lines as whole lines of its own. */
static bool has_lines(const char *text, const char *lines)
{
    size_t n = strlen(lines);
    for (const char *p = strstr(text, lines); p; p = strstr(p + 1, lines))
        if ((p == text || p[-1] == '\n') && (p[n] == '\0' || p[n] == '\n'))
            return true;
    return false;
}

static lb_status edit_field(imp *im, lb_lead *old, const char *field, char *buf, size_t size,
                            const char *v, bool *changed, lb_err *err)
{
    if (!v || !*v || strcmp(buf, v) == 0)
        return LB_OK;
    lb_status st = audit(im, "lead", old->id, old->id, "edit", field, buf, v, err);
    snprintf(buf, size, "%s", v);
    *changed = true;
    return st;
}

/* A notes column replaces the notes.  Without one, the row's notes are
 * only its other columns' "Column: value" lines: they go below the lead's
 * own notes (once: not again when they are there already). */
static lb_status update_notes(imp *im, lb_lead *old, const lb_lead *l, bool notes_col,
                              bool *changed, lb_err *err)
{
    if (notes_col)
        return edit_field(im, old, "notes", old->notes, sizeof old->notes, l->notes, changed, err);
    if (!l->notes[0] || has_lines(old->notes, l->notes))
        return LB_OK;
    if (!sb_set(&im->tmp, old->notes, strlen(old->notes)) ||
        (old->notes[0] && !sb_add(&im->tmp, "\n")) || !sb_add(&im->tmp, l->notes))
        return oom(err);
    if (utf8_chars(im->tmp.p) <= LB_NOTES_MAX && im->tmp.len < sizeof old->notes)
        return edit_field(im, old, "notes", old->notes, sizeof old->notes, im->tmp.p, changed,
                          err);
    note_cut(im);
    return LB_OK;
}

static lb_status update_campaign_value(imp *im, lb_lead *old, const lb_lead *l, bool *changed,
                                       lb_err *err)
{
    lb_status st = LB_OK;
    if (l->campaign_id) {
        const camp_entry *c = &im->camps[l->campaign_id - 1];
        if (c->id != old->campaign_id) {
            st = audit(im, "lead", old->id, old->id, "edit", "campaign", old->campaign, c->name,
                       err);
            old->campaign_id = c->id;
            *changed = true;
        }
    }
    if (st == LB_OK && l->has_value && (!old->has_value || old->value != l->value)) {
        char o[32] = "", n[32];
        if (old->has_value)
            money_format(old->value, o, sizeof o);
        money_format(l->value, n, sizeof n);
        st = audit(im, "lead", old->id, old->id, "edit", "value", o, n, err);
        old->has_value = true;
        old->value = l->value;
        *changed = true;
    }
    return st;
}

/* update mode: overwrites the lead's details with the row's non-empty
 * fields; never its stage, owner or times (those change by transitions). */
static lb_status update_lead(imp *im, const lb_lead *l, const lb_staged *m, lb_err *err)
{
    lb_lead *old = im->old;
    im->line = m->line;
    lb_status st = lead_get(im->ctx->db, m->target_id, old, err);
    if (st != LB_OK)
        return st;
    if (rules_permit(&im->ctx->actor, ACTION_LEAD_EDIT, old, NULL) != LB_OK) {
        im->sum->not_updated++;
        im->sum->skipped++;
        return LB_OK;
    }
    bool changed = false;
    if ((st = edit_field(im, old, "name", old->name, sizeof old->name, l->name, &changed, err)) ||
        (st = edit_field(im, old, "company", old->company, sizeof old->company, l->company,
                         &changed, err)) ||
        (st = edit_field(im, old, "title", old->title, sizeof old->title, l->title, &changed,
                         err)) ||
        (st = edit_field(im, old, "phone", old->phone, sizeof old->phone, l->phone, &changed,
                         err)) ||
        (st = update_notes(im, old, l, m->notes_col, &changed, err)) ||
        (st = update_campaign_value(im, old, l, &changed, err)))
        return st;
    if (!changed) {
        im->sum->duplicates++;
        im->sum->skipped++;
        return LB_OK;
    }
    snprintf(old->updated_at, sizeof old->updated_at, "%s", im->ctx->now_iso);
    old->updated_by_id = im->ctx->actor.id;
    if ((st = lead_update(im->ctx->db, old, err)) == LB_OK)
        im->sum->updated++;
    return st;
}

typedef struct {
    imp *im;
    lb_err *err;
    lb_status st;
    bool renumber;
} walk;

static int apply_update(lb_lead *l, const lb_staged *m, void *ud)
{
    walk *w = ud;
    w->st = update_lead(w->im, l, m, w->err);
    if (w->st != LB_OK)
        at_line(w->im, m->line, w->st, w->err);
    return w->st != LB_OK;
}

/* A row to add whose email another process gave a lead while the file
 * was read: a duplicate after all. */
static int late_duplicate(int64_t seq, long line, int64_t lead_id, void *ud)
{
    walk *w = ud;
    imp *im = w->im;
    w->renumber = true;
    switch (im->o->on_duplicate) {
    case DUP_SKIP:
        im->sum->duplicates++;
        im->sum->skipped++;
        w->st = import_stage_drop(im->stage, seq, w->err);
        break;
    case DUP_UPDATE:
        w->st = import_stage_retarget(im->stage, seq, lead_id, w->err);
        break;
    case DUP_ERROR:
        w->st = lb_fail(w->err, LB_EINVAL,
                        "%.200s:%ld: duplicate of lead %lld, added by someone else while the "
                        "file was read; nothing was imported (import again to see it)",
                        im->src, line, (long long)lead_id);
        break;
    }
    return w->st != LB_OK;
}

/* Writes what was staged, in one transaction: the campaigns, the leads
 * added, the updates.  A dry run rolls it back. */
static lb_status publish(imp *im, lb_err *err)
{
    lb_ctx *ctx = im->ctx;
    lb_status st = ctx_begin_write(ctx, err);
    if (st != LB_OK)
        return st;
    walk w = {im, err, LB_OK, false};
    st = rules_permit(&ctx->actor, ACTION_IMPORT, NULL, err);
    if (st == LB_OK && im->manager && ctx->actor.team != TEAM_MANAGER)
        st = lb_fail(err, LB_EPERM,
                     "%s is no longer a manager; import the file again to see what marketing's "
                     "import does",
                     ctx->actor.login);
    for (int k = 1; st == LB_OK && k <= im->ncamps; k++)
        st = campaign_resolve(im, k, err);
    if (st == LB_OK && (st = import_stage_conflicts(im->stage, late_duplicate, &w, err)) == LB_OK)
        st = w.st;
    if (st == LB_OK && w.renumber)
        st = import_stage_renumber(im->stage, err);
    if (st == LB_OK)
        st = import_stage_publish(im->stage, ctx->now_iso, ctx->actor.id, ctx->os_login, im->src,
                                  &im->sum->added, err);
    if (st == LB_OK && (st = import_stage_each_update(im->stage, apply_update, &w, err)) == LB_OK)
        st = w.st;
    if (st == LB_OK)
        st = import_stage_finish(im->stage, err);
    if (st == LB_OK && !im->o->dry_run)
        return db_commit(ctx->db, err);
    db_rollback(ctx->db);
    return st;
}

/* ---- the whole ---- */

static lb_status prepare(imp *im, lb_err *err)
{
    lb_ctx *ctx = im->ctx;
    lb_status st;
    if ((st = ctx_require_actor(ctx, err)) != LB_OK ||
        (st = rules_permit(&ctx->actor, ACTION_IMPORT, NULL, err)) != LB_OK)
        return st;
    im->manager = ctx->actor.team == TEAM_MANAGER;
    im->decimal_comma = im->o->delimiter == ';';
    for (int f = 0; f < IMP_FIELD_COUNT; f++)
        im->picked[f] = -1;
    if (im->o->campaign) {
        if ((st = text_check("--campaign", im->o->campaign, LB_SHORT_MAX, false, err)) != LB_OK)
            return st;
        if (text_blank(im->o->campaign))
            return lb_fail(err, LB_EUSAGE, "--campaign needs a campaign's name");
        int num;
        if ((st = campaign_number(im, im->o->campaign, &num, err)) != LB_OK)
            return st;
    }
    im->lead = malloc(sizeof *im->lead);
    im->old = malloc(sizeof *im->old);
    if (!im->lead || !im->old)
        return oom(err);
    if ((st = user_each(ctx->db, user_add_cb, im, err)) != LB_OK)
        return st;
    if (im->users_oom)
        return oom(err);
    if (im->nusers)
        qsort(im->users, im->nusers, sizeof *im->users, user_cmp);
    return LB_OK;
}

static void imp_free(imp *im)
{
    import_stage_close(im->stage);
    for (int i = 0; i < im->ncols; i++) {
        free(im->colname ? im->colname[i] : NULL);
        free(im->header ? im->header[i] : NULL);
    }
    free(im->colname);
    free(im->header);
    free(im->col);
    free(im->rank);
    free(im->to_notes);
    for (int f = 0; f < IMP_FIELD_COUNT; f++) {
        free(im->fcols[f]);
        free(im->val[f].p);
    }
    free(im->row);
    for (int k = 0; k < im->npending; k++)
        free_record(&im->pending[k]);
    for (int k = 0; k < im->ncamps; k++)
        free(im->camps[k].name);
    free(im->camps);
    camp_free(&im->camp_keys);
    free(im->users);
    csv_out_free(&im->rejects);
    free(im->lead);
    free(im->old);
    free(im->name.p);
    free(im->notes.p);
    free(im->tmp.p);
    free(im->piece.p);
    free(im->email_key.p);
}

lb_status import_csv(lb_ctx *ctx, csv_reader *r, const lb_import_opts *o, lb_import_summary *sum,
                     lb_err *err)
{
    imp im;
    memset(sum, 0, sizeof *sum);
    memset(&im, 0, sizeof im);
    sum->dry_run = o->dry_run;
    im.ctx = ctx;
    im.o = o;
    im.sum = sum;
    im.r = r;
    im.src = o->source ? o->source : "stdin";

    lb_status st = prepare(&im, err);
    /* Reading: no write lock. */
    if (st == LB_OK)
        st = import_stage_open(ctx->db, &im.stage, err);
    if (st == LB_OK)
        st = lead_any_email(ctx->db, &im.board_emails, err);
    if (st == LB_OK)
        st = read_header(&im, err);
    if (st == LB_OK)
        st = read_rows(&im, err);
    if (st == LB_OK)
        st = import_stage_read_done(im.stage, err);
    /* Publishing: one short write transaction. */
    if (st == LB_OK)
        st = publish(&im, err);
    imp_free(&im);
    return st;
}

/* ---- export ---- */

/* clang-format off */
const char *const export_columns[] = {
    "id",          "name",           "company",       "title",
    "email",       "phone",          "notes",         "campaign",
    "value",       "stage",          "owner",         "marketer",
    "reason",      "created_at",     "stage_at",      "handed_off_at",
    "accepted_at", "first_touch_at", "last_touch_at", "next_due_at",
    "closed_at",   "stars",          "furthest",      "rejections",
    "campaign_channel",              "campaign_cost",
};
/* clang-format on */
const int export_ncolumns = (int)(sizeof export_columns / sizeof export_columns[0]);

typedef struct {
    int64_t id;
    lb_channel channel;
    int64_t cost;
} camp_info;

typedef struct {
    csv_out out;
    lb_write_fn write;
    void *ud;
    int64_t count;
    bool failed;
    camp_info *camps; /* by id */
    size_t ncamps, camps_cap;
    bool camps_oom;
} exporter;

static int camp_info_add(const lb_campaign *c, void *ud)
{
    exporter *x = ud;
    if (x->ncamps == x->camps_cap) {
        size_t cap = x->camps_cap ? x->camps_cap * 2 : 64;
        camp_info *p = realloc(x->camps, cap * sizeof *p);
        if (!p) {
            x->camps_oom = true;
            return 1;
        }
        x->camps = p;
        x->camps_cap = cap;
    }
    x->camps[x->ncamps++] = (camp_info){c->id, c->channel, c->cost};
    return 0;
}

static int camp_info_cmp(const void *a, const void *b)
{
    int64_t x = ((const camp_info *)a)->id, y = ((const camp_info *)b)->id;
    return (x > y) - (x < y);
}

static bool flush_out(exporter *x)
{
    if (x->out.len && x->write(x->ud, x->out.buf, x->out.len) != 0)
        x->failed = true;
    csv_out_clear(&x->out);
    return !x->failed;
}

static int export_row(const lb_lead *l, void *ud)
{
    exporter *x = ud;
    char id[24], value[32] = "", stars[8] = "", rejections[16];
    snprintf(id, sizeof id, "%lld", (long long)l->id);
    if (l->has_value)
        money_format(l->value, value, sizeof value);
    if (l->stars)
        snprintf(stars, sizeof stars, "%d", l->stars);
    snprintf(rejections, sizeof rejections, "%d", l->rejections);
    char cost[32] = "";
    const char *channel = "";
    camp_info key = {l->campaign_id, CHANNEL_OTHER, 0}, *c = NULL;
    if (l->campaign_id && x->ncamps)
        c = bsearch(&key, x->camps, x->ncamps, sizeof key, camp_info_cmp);
    if (c) {
        channel = vocab_name(&lb_channels, c->channel);
        money_format(c->cost, cost, sizeof cost);
    }
    const char *v[] = {id,
                       l->name,
                       l->company,
                       l->title,
                       l->email,
                       l->phone,
                       l->notes,
                       l->campaign,
                       value,
                       stage_name(l->stage),
                       l->owner,
                       l->marketer,
                       l->reason,
                       l->created_at,
                       l->stage_at,
                       l->handed_off_at,
                       l->accepted_at,
                       l->first_touch_at,
                       l->last_touch_at,
                       l->next_due_at,
                       l->closed_at,
                       stars,
                       stage_name((lb_stage)l->furthest),
                       rejections,
                       channel,
                       cost};
    _Static_assert(sizeof v / sizeof v[0] == sizeof export_columns / sizeof export_columns[0],
                   "export columns");
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        csv_out_field(&x->out, v[i]);
    csv_out_end_record(&x->out);
    x->count++;
    if (x->out.failed) {
        x->failed = true;
        return 1;
    }
    return x->out.len >= 65536 && !flush_out(x);
}

lb_status export_csv(lb_db *db, lb_write_fn write, void *ud, int64_t *count, lb_err *err)
{
    exporter x;
    memset(&x, 0, sizeof x);
    x.write = write;
    x.ud = ud;
    for (int i = 0; i < export_ncolumns; i++)
        csv_out_field(&x.out, export_columns[i]);
    csv_out_end_record(&x.out);

    lb_lead_filter f;
    memset(&f, 0, sizeof f);
    lb_status st = campaign_each(db, camp_info_add, &x, err);
    if (st == LB_OK && x.camps_oom)
        st = lb_fail(err, LB_EDB, "out of memory");
    if (st == LB_OK) {
        if (x.ncamps) /* qsort and bsearch want a real array, even of none */
            qsort(x.camps, x.ncamps, sizeof *x.camps, camp_info_cmp);
        st = lead_each(db, &f, export_row, &x, err);
    }
    if (st == LB_OK && !x.failed)
        flush_out(&x);
    if (st == LB_OK && (x.failed || x.out.failed))
        st = lb_fail(err, LB_EINVAL, "%s",
                     x.out.failed ? "out of memory" : "cannot write the export");
    csv_out_free(&x.out);
    free(x.camps);
    if (count)
        *count = x.count;
    return st;
}
