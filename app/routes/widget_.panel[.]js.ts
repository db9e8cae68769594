import type { LoaderFunctionArgs } from '@remix-run/node'
import { assetResponse, widgetAssets } from '~/widget/assets.server'

export const loader = ({ request }: LoaderFunctionArgs) => assetResponse(request, widgetAssets.panelScript)
