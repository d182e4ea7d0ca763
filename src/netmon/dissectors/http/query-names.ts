/**
 * @module The parameter names of a URL's query string, never their values: what DICOMweb and FHIR
 * searches match on says what kind of patient lookup a request is, while the values (an MRN, a name)
 * are the patient data itself and are never kept.
 */

/**
 * The names in `target`'s query string that `isName` accepts, distinct, in order, at most `max`. A name
 * is percent-decoded; an encoded '=' in it would smuggle a value in ("PatientID%3DMRN1"), so it is
 * cut there; whatever `isName` refuses (a bare value, a control parameter) is left out.
 */
export function queryNames(target: string, isName: (name: string) => boolean, max = 16): string[] {
  const q = target.indexOf('?');
  if (q < 0) return [];
  const names: string[] = [];
  for (const pair of target.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    let name = eq < 0 ? pair : pair.slice(0, eq);
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // a malformed escape: the name as it was sent
    }
    const cut = name.indexOf('=');
    if (cut >= 0) name = name.slice(0, cut);
    name = name.trim();
    if (!isName(name) || names.includes(name)) continue;
    names.push(name);
    if (names.length === max) break;
  }
  return names;
}
