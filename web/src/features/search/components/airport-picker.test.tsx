import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';

import { I18nProvider } from '../../../lib/i18n';
import { airports } from '../../../testing/fixtures';
import { AirportPicker, matchAirports } from './airport-picker';

function Picker() {
  const [code, setCode] = useState('');
  return (
    <I18nProvider initial="pt-BR">
      <AirportPicker name="origin" label="Origem" airports={airports} value={code} onChange={setCode} />
      <output data-testid="code">{code}</output>
    </I18nProvider>
  );
}

describe('the airport picker', () => {
  it('matches city, code and name, accents ignored, best first', () => {
    expect(matchAirports(airports, 'macapa').map((a) => a.code)).toEqual(['MCP']);
    expect(matchAirports(airports, 'mc').map((a) => a.code)).toEqual(['MCP', 'MCZ']);
    expect(matchAirports(airports, 'MAO')[0]?.code).toBe('MAO');
    expect(matchAirports(airports, 'sp').map((a) => a.code)).toEqual(['GRU']);
  });

  it('filters as one types and chooses with the keyboard', async () => {
    const user = userEvent.setup();
    render(<Picker />);
    const input = screen.getByRole('combobox', { name: 'Origem' });
    await user.type(input, 'ma');
    const options = screen.getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      expect.stringContaining('Macapá'),
      expect.stringContaining('Maceió'),
      expect.stringContaining('Manaus'),
    ]);
    expect(input).toHaveAttribute('aria-expanded', 'true');
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(input).toHaveValue('Manaus (MAO)');
    expect(screen.getByTestId('code')).toHaveTextContent('MAO');
    expect(input).toHaveAttribute('aria-expanded', 'false');
  });

  it('takes what was typed when it names one airport', async () => {
    const user = userEvent.setup();
    render(<Picker />);
    await user.type(screen.getByRole('combobox', { name: 'Origem' }), 'rbr');
    await user.tab();
    expect(screen.getByTestId('code')).toHaveTextContent('RBR');
  });
});
