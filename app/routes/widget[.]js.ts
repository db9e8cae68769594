import type { LoaderFunctionArgs } from '@remix-run/node'
import { assetResponse, widgetAssets } from '~/widget/assets.server'

/** `<script src="{KIZUNA_PUBLIC_URL}/widget.js" defer>`: the launcher customers put in their product. */
export const loader = ({ request }: LoaderFunctionArgs) => assetResponse(request, widgetAssets.loader)
