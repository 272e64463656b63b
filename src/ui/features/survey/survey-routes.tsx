/**
 * Survey mode's pages behind one lazily loaded module (Prio3 and HPKE are not needed by
 * rooms): `#/survey/new`, `#/survey/aggregator`, `#/survey/<id>.<digest>`.
 */
import { AggregatorKeyPage } from './aggregator-key';
import { SurveyCreate } from './survey-create';
import { SurveyPage } from './survey-page';

export default function SurveyRoutes({ path }: { path: string }) {
  if (path === 'new') return <SurveyCreate />;
  if (path === 'aggregator') return <AggregatorKeyPage />;
  return <SurveyPage key={path} fragment={path} />;
}
