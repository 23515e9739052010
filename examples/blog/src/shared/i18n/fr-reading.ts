import { plural } from '@composable-svelte/core/i18n';
import type { ReadingMessages } from './en-reading.js';

/** Les textes des pages de billet, de commentaires, d'abonnement et d'erreur, en français. */
const frReading: ReadingMessages = {
  updated: 'mis à jour le',
  editThisPost: 'Modifier ce billet',
  readComments: (count, title) =>
    `Lire ${plural('fr', count, { 0: 'les commentaires', one: 'le commentaire', other: 'les # commentaires' })} sur « ${title} »`,
  allEssays: '← Tous les essais',
  thePost: 'le billet',

  commentsOn: (title) => `Commentaires sur « ${title} »`,
  deleteYourComment: 'Supprimer votre commentaire',
  addComment: 'Ajouter un commentaire',
  commentPosted: 'Merci ! Votre commentaire est publié.',
  signInToComment: 'Connectez-vous pour commenter',
  commentingAs: 'Vous commentez en tant que',
  comment: 'Commentaire',
  posting: 'Publication…',
  postComment: 'Publier le commentaire',
  writeComment: 'Écrire un commentaire',
  backToPost: '← Retour au billet',

  reconnecting: 'Reconnexion… les nouveaux commentaires apparaîtront une fois la connexion rétablie.',
  offline: 'Vous êtes hors ligne. Les nouveaux commentaires apparaîtront à votre retour en ligne.',
  liveStopped: 'Les mises à jour en direct sont arrêtées. Rechargez la page pour voir les nouveaux commentaires.',
  readingNow: (count) => plural('fr', count, { one: '# lecteur en ce moment', other: '# lecteurs en ce moment' }),

  nothingAt: 'Il n’y a rien à l’adresse',
  nothingAtAfter: '. Elle a peut-être changé, ou l’adresse est mal saisie.',
  goToLatest: 'Voir les derniers essais',
  invalidAddress: 'Cette adresse n’est pas valide',
  addressBefore: 'L’adresse',
  addressAfter: 'contient une partie illisible :',
  serverErrorHelp: 'Un problème est survenu de notre côté. S’il se répète, citez cet identifiant de requête :',
  clientErrorHelp: 'Revenez en arrière, corrigez ce que dit le message ci-dessus et renvoyez (identifiant de requête',

  subscribeIntro:
    'Les nouveaux essais par e-mail, environ une fois par mois. Aucun pistage, et un clic suffit pour partir.',
  subscribedAs: (name) => `Merci, ${name} ! Vous êtes inscrit·e.`,
  subscribed: 'Merci pour votre abonnement ! Vous êtes inscrit·e.',
  subscribing: 'Abonnement…',
};

export default frReading;
