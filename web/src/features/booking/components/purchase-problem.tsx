import { Link } from 'react-router';

import { describeError } from '../../../components/ui/error-message';
import { Notice } from '../../../components/ui/notice';
import { ApiError } from '../../../lib/api-client';
import { useI18n } from '../../../lib/i18n';
import { isPurchaseFailureCode, purchaseFailureReason, purchaseFailureRemedy } from '../../../lib/purchase-failure';

type Props = {
  error: Error;
  /** The number (`BO1001`) of one of the trip's flights, by id. */
  flightNumber: (id: string) => string;
  /** An airline's name, by id. */
  airlineName: (id: string) => string;
  /** Whether the purchase asked for given seats (else the airlines were to choose them). */
  seatsChosen: boolean;
  /** Where "search for another trip" goes. */
  searchHref: string;
  onChooseSeats: () => void;
};

/**
 * Why a purchase bought nothing, and what to do next. A purchase refused as a whole says that
 * nothing was bought on any flight, why, the failed booking's reference when there is one, and
 * offers other seats (a seat was taken) or another search; any other error says what it was.
 */
export function PurchaseProblem({ error, flightNumber, airlineName, seatsChosen, searchHref, onChooseSeats }: Props) {
  const { t } = useI18n();
  if (!(error instanceof ApiError) || !isPurchaseFailureCode(error.code)) {
    const network = !(error instanceof ApiError) || error.status === 0;
    return <Notice tone="error">{network ? describeError(error, t) : t('book.failed', { message: error.message })}</Notice>;
  }
  const flight = error.detail('flight');
  const airline = error.detail('airline');
  const reference = error.detail('reference');
  const reason = purchaseFailureReason(
    error.code,
    {
      flight: flight === undefined ? undefined : flightNumber(flight),
      airline: airline === undefined ? undefined : airlineName(airline),
      seatsChosen,
      begun: reference !== undefined,
    },
    t,
  );
  const remedy = purchaseFailureRemedy(error.code);
  return (
    <div className="notice notice--error purchase-problem" role="alert">
      <p className="purchase-problem__title">{t('purchase.nothingBought')}</p>
      <p>{reason}</p>
      {remedy === 'later' ? <p>{t('purchase.later')}</p> : null}
      {reference ? <p>{t('purchase.reference', { reference })}</p> : null}
      <div className="purchase-problem__actions">
        {remedy === 'seats' ? (
          <button type="button" className="button button--small" onClick={onChooseSeats}>
            {t('purchase.chooseOtherSeats')}
          </button>
        ) : null}
        <Link className="button button--small" to={searchHref}>
          {t('purchase.searchAgain')}
        </Link>
      </div>
    </div>
  );
}
