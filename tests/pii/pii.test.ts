import { describe, expect, it } from 'vitest';
import { redactPii } from '../../src/pii/detect.js';
import { ibanValid, luhnValid, nirValid } from '../../src/pii/checks.js';

/** A NIR with its key computed as the INSEE rule says, so the test writes no real person's number. */
function nir(body13: string): string {
  const n = BigInt(body13.replace('2A', '19').replace('2B', '18'));
  return body13 + String(97n - (n % 97n)).padStart(2, '0');
}

describe('PII redaction', () => {
  it('replaces e-mail addresses, public IPs, French phones, NIRs, IBANs and cards by typed placeholders', () => {
    const text = [
      'Écrire à marie.dupont@exemple.fr ou appeler le 01 23 45 67 89, le +33 6 12 34 56 78 ou le +33 (0)4.72.00.00.00.',
      `Serveur 193.51.24.1 ; NIR ${nir('1850578006084')} ; Corse : ${nir('269022A004012')}.`,
      'IBAN FR76 3000 6000 0112 3456 7890 189, carte 4111 1111 1111 1111.',
    ].join('\n');
    const r = redactPii(text);
    expect(r.text).toBe(
      ['Écrire à <EMAIL> ou appeler le <PHONE>, le <PHONE> ou le <PHONE>.', 'Serveur <IP> ; NIR <NIR> ; Corse : <NIR>.', 'IBAN <IBAN>, carte <CARD>.'].join('\n'),
    );
    expect(r.counts).toEqual({ email: 1, ip: 1, phone: 3, nir: 2, iban: 1, card: 1 });
  });

  it('leaves look-alikes alone: dates, amounts, legal articles, postal codes, SIRET, private IPs, bad keys', () => {
    const text = [
      'Le 14/07/1789 puis le 2024-03-15, pour 1 234 567,89 € (article L. 123-4 du code, article R. 4127-1).',
      'Adresse : 12 rue de la Paix, 75002 Paris. SIRET 362 521 879 00034, SIREN 362521879.',
      'Box 192.168.1.1, version 1.2.3.4.5, numéro 1850578006084 00 (clé fausse), IBAN FR76 3000 6000 0112 3456 7890 188.',
      'Commande 4111 1111 1111 1112.',
    ].join('\n');
    expect(redactPii(text).text).toBe(text);
  });

  it('checks control keys', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('FR76 3000 6000 0112 3456 7890 189')).toBe(true);
    expect(ibanValid('FR76 3000 6000 0112 3456 7890 18')).toBe(false);
    expect(nirValid(nir('269022B004012'))).toBe(true);
    expect(nirValid(nir('269022A004012').slice(0, 13) + '00')).toBe(false);
  });
});
