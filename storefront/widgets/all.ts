/** Every widget in one script: `<script type="module" src="…/widgets/opop-widgets.js?outlet=KEY">`. */
import './product-card.ts';
import './product-grid.ts';
import './search.ts';
import './pesantren-badge.ts';
