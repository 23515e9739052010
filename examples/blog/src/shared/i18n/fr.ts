import { plural } from '@composable-svelte/core/i18n';
import type { Messages } from './en.js';

/** L'interface des pages publiques en français. Les billets et les commentaires restent dans leur langue (l'anglais). */
const fr: Messages = {
  siteTagline: 'essais sur le logiciel web',
  siteDescription: 'Essais sur la construction et l’exploitation du logiciel web : rendu, cache, tests, exploitation.',
  skipToContent: 'Aller au contenu',
  primaryNavigation: 'Principale',
  essays: 'Essais',
  subscribe: 'S’abonner',
  write: 'Écrire',
  admin: 'Administration',
  signIn: 'Se connecter',
  signUp: 'Créer un compte',
  signOut: 'Se déconnecter',
  language: 'Langue',
  loading: 'Chargement…',
  footer: (site) =>
    `${site} est l’application de référence de Composable Svelte : rendue sur le serveur, hydratée, sans script en ligne.`,

  latestEssays: 'Derniers essais',
  byline: (author) => `Par ${author}`,
  commentCount: (count) =>
    plural('fr', count, { 0: 'aucun commentaire', one: '# commentaire', other: '# commentaires' }),
  updated: 'mis à jour le',
  editThisPost: 'Modifier ce billet',
  readComments: (count, title) =>
    `Lire ${plural('fr', count, { 0: 'les commentaires', one: 'le commentaire', other: 'les # commentaires' })} sur « ${title} »`,
  postNotFound: 'Billet introuvable',
  postUnavailable: 'Billet indisponible',
  loadingPost: 'Chargement du billet…',
  allEssays: '← Tous les essais',
  thePosts: 'les billets',
  thePost: 'le billet',
  theComments: 'les commentaires',

  commentsOn: (title) => `Commentaires sur « ${title} »`,
  commentsOnTitle: (title) => `Commentaires sur ${title}`,
  comments: 'Commentaires',
  noCommentsYet: 'Pas encore de commentaire.',
  deleteYourComment: 'Supprimer votre commentaire',
  deleteComment: 'Supprimer',
  addComment: 'Ajouter un commentaire',
  commentPosted: 'Merci ! Votre commentaire est publié.',
  signInToComment: 'Connectez-vous pour commenter',
  commentingAs: 'Vous commentez en tant que',
  name: 'Nom',
  email: 'E-mail',
  comment: 'Commentaire',
  posting: 'Publication…',
  postComment: 'Publier le commentaire',
  writeComment: 'Écrire un commentaire',
  backToPost: '← Retour au billet',

  loadingWhat: (what) => `Chargement de ${what}…`,
  couldNotLoad: (what, message) => `Impossible de charger ${what} : ${message}`,
  tryAgain: 'Réessayer',
  reconnecting: 'Reconnexion… les nouveaux commentaires apparaîtront une fois la connexion rétablie.',
  offline: 'Vous êtes hors ligne. Les nouveaux commentaires apparaîtront à votre retour en ligne.',
  liveStopped: 'Les mises à jour en direct sont arrêtées. Rechargez la page pour voir les nouveaux commentaires.',
  readingNow: (count) => plural('fr', count, { one: '# lecteur en ce moment', other: '# lecteurs en ce moment' }),

  pageNotFound: 'Page introuvable',
  nothingAt: 'Il n’y a rien à l’adresse',
  nothingAtAfter: '. Elle a peut-être changé, ou l’adresse est mal saisie.',
  goToLatest: 'Voir les derniers essais',
  invalidAddress: 'Cette adresse n’est pas valide',
  addressBefore: 'L’adresse',
  addressAfter: 'contient une partie illisible :',
  serverErrorHelp: 'Un problème est survenu de notre côté. S’il se répète, citez cet identifiant de requête :',
  clientErrorHelp: 'Revenez en arrière, corrigez ce que dit le message ci-dessus et renvoyez (identifiant de requête',

  createAnAccount: 'Créez un compte',
  resetYourPassword: 'Réinitialiser votre mot de passe',
  chooseNewPassword: 'Choisir un nouveau mot de passe',

  subscribeIntro:
    'Les nouveaux essais par e-mail, environ une fois par mois. Aucun pistage, et un clic suffit pour partir.',
  subscribedAs: (name) => `Merci, ${name} ! Vous êtes inscrit·e.`,
  subscribed: 'Merci pour votre abonnement ! Vous êtes inscrit·e.',
  subscribing: 'Abonnement…',

  yourAccount: 'Votre compte',
  descriptionAccount: 'Vos sessions et votre mot de passe.',

  writeAPost: 'Écrire un billet',
  editPostTitled: (title) => `Modifier « ${title} »`,
  editAPost: 'Modifier un billet',
  descriptionWrite: 'Écrire un nouvel essai.',
  descriptionEditPost: 'Modifier un essai.',

  moderation: 'Modération',
  moderationIntro: 'Les commentaires les plus récents de tous les billets.',
  usersAndRoles: 'Utilisateurs et rôles',
  descriptionUsers: 'Les comptes et leurs rôles.',
  jobs: 'Tâches',
  descriptionJobs: 'Les files de tâches d’arrière-plan et leurs planifications.',

  titleSubscribe: 'S’abonner',
  descriptionSubscribe: 'Recevez les nouveaux essais de Field Notes par e-mail, environ une fois par mois.',
  descriptionLogin: 'Connectez-vous pour commenter Field Notes.',
  descriptionSignup: 'Créez un compte Field Notes pour commenter les essais.',
  descriptionForgot: 'Recevez un lien pour choisir un nouveau mot de passe Field Notes.',
  descriptionReset: 'Choisissez un nouveau mot de passe Field Notes.',
  descriptionNotFound: 'Cette page n’existe pas.',
  titleBadRequest: 'Requête invalide',
  descriptionBadRequest: 'Cette adresse n’est pas valide.',
  descriptionError: 'Un problème est survenu.',
};

export default fr;
