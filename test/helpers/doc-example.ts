/**
 * "Example Requests" of SEED-API.md, verbatim: the documentation's own request, with
 * `mail_send_type: "1"` and an `error_msg` copied from the listing API. The client must accept
 * it and the mock must receive it field for field.
 */
export const DOC_EXAMPLE = {
  records: [
    {
      id: '1',
      account: 'zhangsan*',
      account_auth_type: 'USER',
      account_auth_name: 'zhangsan*',
      app_group_id: '1',
      app_group_name: 'Process development application group.',
      mail_send_type: '1',
      error_msg: 'error:',
    },
  ],
};
