import { builder } from '../../graphql/builder.ts';
import { connectionById, idPage } from '../../platform/pagination.ts';
import { assertOperates, withOperator } from '../../products/operators.ts';
import { productNamed } from '../../products/settings.ts';
import { OrganizationRef } from '../accounts/types.ts';
import { ProductRef } from './types.ts';

builder.queryFields((t) => ({
  product: t.field({
    type: ProductRef,
    authScopes: { public: true },
    description:
      'The product of this request: the credential’s, else the one `X-Product-Slug` names, else the default product.',
    resolve: (_root, _args, { app, product }) => withOperator(app, product),
  }),
  productOrganizations: t.withAuth({ scope: 'read:products' }).connection(
    {
      type: OrganizationRef,
      description: 'The organizations of a product, oldest first; for its operators only (OPERATOR_ONLY).',
      args: {
        productSlug: t.arg.string({ required: true }),
        slug: t.arg.string({ description: 'Only the organization with this slug (an empty page when there is none).' }),
      },
      resolve: async (_root, args, context) => {
        const { app } = context;
        const product = await productNamed(app, args.productSlug);
        await assertOperates(context, product, 'read:products', 'list_product_organizations');
        const matching = { productId: product.id, ...(args.slug ? { slug: args.slug } : {}) };
        return connectionById(
          args,
          (page) => {
            const { where, ...rest } = idPage(page, 'asc');
            return app.db.organization.findMany({ where: { ...matching, ...where }, ...rest });
          },
          () => app.db.organization.count({ where: matching }),
        );
      },
    },
    { name: 'OrganizationConnection' },
    { name: 'OrganizationEdge' },
  ),
}));
